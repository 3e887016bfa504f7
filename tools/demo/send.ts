// npm run demo:send [IMAGE...]: signs each image as a webhook to the demo tenant and prints its decision.
// Without images it sends a few rendered shapes: blue stars (the shapes policy reviews stars), a red circle
// (blocked) and a green square (allowed), so the review console has work.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { renderScene, rng, type Scene } from '@clipguard/testing';
import { demoEnv } from './env';

const env = demoEnv();
const api = env.CLIPGUARD_API ?? `http://127.0.0.1:${env.PORT ?? 8080}`;

const SCENES: Scene[] = [
  { shape: 'star', colour: 'blue', size: 'large' },
  { shape: 'star', colour: 'yellow', size: 'large' },
  { shape: 'star', colour: 'green', size: 'large' },
  { shape: 'circle', colour: 'red', size: 'large' },
  { shape: 'square', colour: 'green', size: 'large' },
];

async function moderate(name: string, bytes: Buffer): Promise<void> {
  const body = JSON.stringify({
    event_id: randomUUID(),
    content: { base64: bytes.toString('base64') },
    metadata: { user_id: 'demo-user', post_id: `post-${name}` },
  });
  const id = `msg_${randomUUID()}`;
  const now = new Date();
  const res = await fetch(`${api}/v1/webhooks/demo`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(env.CLIPGUARD_DEMO_WEBHOOK_SECRET ?? '').sign(id, now, body),
    },
    body,
  });
  const accepted = (await res.json()) as { submission_id?: string };
  if (!accepted.submission_id) throw new Error(`${name}: ${res.status} ${JSON.stringify(accepted)}`);
  for (let i = 0; i < 100; i++) {
    const m = (await (
      await fetch(`${api}/v1/moderations/${accepted.submission_id}`, {
        headers: { authorization: `Bearer ${env.CLIPGUARD_DEMO_API_KEY ?? ''}` },
      })
    ).json()) as { status: string; decision: { verdict: string } | null };
    if (m.status === 'decided' || m.status === 'failed') {
      console.log(`${name}: ${m.status} ${m.decision?.verdict ?? ''}  (${accepted.submission_id})`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name}: no decision within 20 s`);
}

(async () => {
  const files = process.argv.slice(2);
  if (files.length) for (const f of files) await moderate(f, readFileSync(f));
  else
    for (const [i, s] of SCENES.entries())
      await moderate(`${s.colour} ${s.shape}`, await renderScene(s, rng(Date.now() + i)));
})().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
