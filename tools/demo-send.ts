// npm run demo:send -- IMAGE...: signs each image as a webhook to the demo tenant and prints its decision.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';

const api = process.env.CLIPGUARD_API ?? 'http://127.0.0.1:8080';
const secret = process.env.CLIPGUARD_DEMO_WEBHOOK_SECRET ?? '';
const key = process.env.CLIPGUARD_DEMO_API_KEY ?? '';

async function moderate(file: string): Promise<void> {
  const body = JSON.stringify({
    event_id: randomUUID(),
    content: { base64: readFileSync(file).toString('base64') },
  });
  const id = `msg_${randomUUID()}`;
  const now = new Date();
  const res = await fetch(`${api}/v1/webhooks/demo`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, now, body),
    },
    body,
  });
  const accepted = (await res.json()) as { submission_id?: string };
  if (!accepted.submission_id) throw new Error(`${file}: ${res.status} ${JSON.stringify(accepted)}`);
  for (let i = 0; i < 100; i++) {
    const m = (await (
      await fetch(`${api}/v1/moderations/${accepted.submission_id}`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json()) as {
      status: string;
    };
    if (m.status === 'decided' || m.status === 'failed') {
      console.log(JSON.stringify({ file, ...m }, null, 2));
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${file}: no decision within 20 s`);
}

(async () => {
  for (const f of process.argv.slice(2)) await moderate(f);
})().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
