import { PipelineClient, Stack } from '@clipguard/testing';

jest.setTimeout(120_000);

// As in production: private addresses refused (the platform stand-in listens on 127.0.0.1).
const stack = new Stack({ env: { CLIPGUARD_FETCH_ALLOW_PRIVATE: 'false' } });
const client = new PipelineClient(stack);

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop(), 60_000);

describe('image URLs pointing inside the network', () => {
  it('fails them with CONTENT_URL_REJECTED without ever connecting', async () => {
    stack.platform.uploads.set(
      'inside.png',
      await client.scene({ shape: 'circle', colour: 'red', size: 'large' }, 1),
    );
    const port = new URL(stack.platform.url).port;
    for (const [i, host] of ['127.0.0.1', 'localhost', '[::1]', '[::127.0.0.1]', '2130706433'].entries()) {
      const { status, body } = await client.send('acme', {
        event_id: `evt-ssrf-${i}`,
        content: { url: `http://${host}:${port}/uploads/inside.png` },
      });
      expect(status).toBe(202);
      const m = await client.settled(body.submission_id);
      expect([host, m.status, m.error?.code]).toEqual([host, 'failed', 'CONTENT_URL_REJECTED']);
    }
    expect(stack.platform.fetched).toEqual([]);
  });
});
