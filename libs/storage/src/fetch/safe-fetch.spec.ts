import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContentFetchError, isPublicAddress, safeFetch, type SafeFetchOptions } from './safe-fetch';

const options: SafeFetchOptions = {
  allowHttp: true,
  allowPrivate: false,
  maxBytes: 1000,
  timeoutMs: 2000,
  maxRedirects: 2,
};

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    // IPv4-compatible form, as URL parsing serialises [::127.0.0.1]
    ['::7f00:1', false],
    ['::a00:1', false],
    ['64:ff9b::7f00:1', false],
    ['2002:7f00:1::', false],
    ['2001::1', false],
    ['2001:db8::1', false],
    ['100::1', false],
    ['::', false],
    ['198.18.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['8.8.8.8', true],
    ['2001:4860:4860::8888', true],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('safeFetch against a local server', () => {
  let server: Server;
  let base: string;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/big') return res.end(Buffer.alloc(5000));
      if (req.url === '/to-file') return res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (req.url === '/to-ok') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/gone') return res.writeHead(404).end();
      res.end('image-bytes');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'fetched',
      (e: unknown) => (e instanceof ContentFetchError ? e.code : String(e)),
    );

  it('refuses loopback after resolution without connecting', async () => {
    hits = 0;
    expect(await code(safeFetch(`${base}/ok`, options))).toBe('CONTENT_URL_REJECTED');
    expect(await code(safeFetch(`http://localhost:${new URL(base).port}/ok`, options))).toBe(
      'CONTENT_URL_REJECTED',
    );
    expect(hits).toBe(0);
  });

  it('refuses plain http unless allowed', async () => {
    expect(await code(safeFetch(`${base}/ok`, { ...options, allowHttp: false, allowPrivate: true }))).toBe(
      'CONTENT_URL_REJECTED',
    );
  });

  it('fetches when loopback is explicitly allowed, following redirects', async () => {
    const allowed = { ...options, allowPrivate: true };
    expect((await safeFetch(`${base}/to-ok`, allowed)).toString()).toBe('image-bytes');
  });

  // With private addresses allowed this server cannot test the address re-check or the pinned connection;
  // safe-fetch-ssrf.spec.ts does (each redirect to a private address, rebinding on a later hop).
  it("re-checks each redirect's scheme, bounds redirects, bytes and status", async () => {
    const allowed = { ...options, allowPrivate: true };
    expect(await code(safeFetch(`${base}/to-file`, allowed))).toBe('CONTENT_URL_REJECTED');
    expect(await code(safeFetch(`${base}/loop`, allowed))).toBe('CONTENT_URL_REJECTED');
    expect(await code(safeFetch(`${base}/big`, allowed))).toBe('CONTENT_TOO_LARGE');
    const gone = await safeFetch(`${base}/gone`, allowed).catch((e: unknown) => e as ContentFetchError);
    expect(gone).toMatchObject({ code: 'CONTENT_FETCH_FAILED', transient: false });
  });
});
