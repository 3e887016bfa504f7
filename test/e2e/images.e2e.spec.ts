import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PipelineClient,
  SHARED_IMAGES,
  Stack,
  animatedGif,
  eventBody,
  pngBombHeader,
  rng,
} from '@clipguard/testing';

jest.setTimeout(120_000);

const stack = new Stack({ env: { CLIPGUARD_FRAMES: '4' } });
const client = new PipelineClient(stack);

const noise = (n: number) => {
  const r = rng(99);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
};
const workerMetric = async (name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${stack.metricsPorts.worker}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
};

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop(), 60_000);

describe('images through the pipeline', () => {
  it('fails corrupt, oversized and hostile images with their codes and keeps every process up', async () => {
    const cases: [string, Buffer, string][] = [
      ['truncated', readFileSync(join(SHARED_IMAGES, 'truncated.jpg')), 'IMAGE_CORRUPT'],
      ['bomb', pngBombHeader(30000, 30000), 'IMAGE_TOO_LARGE'],
      [
        'svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'),
        'IMAGE_UNSUPPORTED',
      ],
      ['noise', noise(5000), 'IMAGE_UNSUPPORTED'],
    ];
    for (const [name, bytes, code] of cases) {
      const { body } = await client.send('acme', eventBody(`evt-bad-${name}`, bytes));
      const m = await client.settled(body.submission_id);
      expect([name, m.status, m.error?.code]).toEqual([name, 'failed', code]);
    }
    for (const p of ['ingest-api', 'clip-worker', 'decision-service']) expect(stack.alive(p)).toBe(true);
    const png = await client.scene({ shape: 'circle', colour: 'red', size: 'large' }, 7);
    const { body } = await client.send('acme', eventBody('evt-after-bad', png));
    expect((await client.settled(body.submission_id)).decision?.verdict).toBe('block');
  });

  it('fetches an image by URL through the worker, and fails a missing one without retrying it', async () => {
    stack.platform.uploads.set(
      'red.png',
      await client.scene({ shape: 'circle', colour: 'red', size: 'large' }, 21),
    );
    const ok = await client.send('acme', {
      event_id: 'evt-url-ok',
      content: { url: `${stack.platform.url}/uploads/red.png` },
    });
    expect((await client.settled(ok.body.submission_id)).decision?.verdict).toBe('block');
    expect(stack.platform.fetched).toContain('red.png');
    const gone = await client.send('acme', {
      event_id: 'evt-url-gone',
      content: { url: `${stack.platform.url}/uploads/gone.png` },
    });
    const m = await client.settled(gone.body.submission_id);
    expect([m.status, m.error?.code]).toEqual(['failed', 'CONTENT_FETCH_FAILED']);
    expect(stack.platform.fetched.filter((n) => n === 'gone.png')).toHaveLength(1);
  });

  it('refuses URLs that are not http(s) at the door', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/a.png', 'gopher://example.com/']) {
      const res = await client.send('acme', { event_id: `evt-${url.split(':')[0]}`, content: { url } });
      expect([url, res.status, res.body.code]).toEqual([url, 422, 'CONTENT_URL_REJECTED']);
    }
  });

  it('blocks an animated GIF whose harmful content is only in a later frame', async () => {
    const benign = await client.scene({ shape: 'square', colour: 'green', size: 'large' }, 30);
    const harmful = await client.scene({ shape: 'circle', colour: 'red', size: 'large' }, 31);
    const firstOnly = await client.send(
      'acme',
      eventBody('evt-gif-benign', await animatedGif([benign, benign, benign, benign])),
    );
    const later = await client.send(
      'acme',
      eventBody('evt-gif-later', await animatedGif([benign, benign, benign, harmful])),
    );
    expect((await client.settled(firstOnly.body.submission_id)).decision?.verdict).toBe('allow');
    const m = await client.settled(later.body.submission_id);
    expect(m.decision?.verdict).toBe('block');
    expect(m.decision?.reasons.map((r) => r.category)).toContain('red');
  });

  it('reuses the stored embedding of a repeated image instead of encoding it again', async () => {
    const png = await client.scene({ shape: 'heart', colour: 'yellow', size: 'large' }, 33);
    const first = await client.send('acme', eventBody('evt-repeat-1', png));
    await client.settled(first.body.submission_id);
    const encoded = await workerMetric('clipguard_encoder_batch_size_sum');
    const second = await client.send('acme', eventBody('evt-repeat-2', png));
    const m = await client.settled(second.body.submission_id);
    expect(m.decision?.verdict).toBe((await client.moderation(first.body.submission_id)).decision?.verdict);
    expect(await workerMetric('clipguard_encoder_batch_size_sum')).toBe(encoded);
  });
});
