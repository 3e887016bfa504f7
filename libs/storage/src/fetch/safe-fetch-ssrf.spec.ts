import net from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContentFetchError, closePinnedAgents, safeFetch, type SafeFetchOptions } from './safe-fetch';

// Name → addresses, as a stub resolver: "public" names get a public address, which the connection stub
// below reroutes to a local server, so no test ever dials anything off this machine.
const PUBLIC_IP = '8.8.8.8';
const names: Record<string, string[]> = {
  'images.example': [PUBLIC_IP],
  'rebind.example': [PUBLIC_IP],
  'internal.example': ['10.0.0.5'],
  'metadata.example': ['169.254.169.254'],
  'mixed.example': [PUBLIC_IP, '127.0.0.1'],
  'v6-loop.example': ['::1'],
  '127.0.0.1.nip.io': ['127.0.0.1'],
};
let lookups: string[] = [];
const resolve = (host: string) => {
  lookups.push(host);
  const list = names[host];
  // A rebinding resolver: public on the first answer, loopback on every later one.
  if (host === 'rebind.example' && lookups.filter((h) => h === host).length > 1)
    return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
  if (!list) return Promise.reject(new Error(`ENOTFOUND ${host}`));
  return Promise.resolve(list.map((address) => ({ address, family: net.isIP(address) })));
};

const options: SafeFetchOptions = {
  resolve,
  allowHttp: true,
  allowPrivate: false,
  maxBytes: 1000,
  timeoutMs: 2000,
  maxRedirects: 3,
};

/** The address a connection would go to: through its own lookup (a pinned one), else the system's DNS. */
function addressOf(o: net.TcpNetConnectOpts): string {
  const host = String(o.host);
  if (net.isIP(host)) return host;
  if (!o.lookup) return `system-dns:${host}`;
  let address = `unresolved:${host}`;
  o.lookup(host, { all: true }, (err, found) => {
    const first = Array.isArray(found) ? found[0]?.address : found;
    if (!err && first) address = first;
  });
  return address;
}

let server: Server;
let port = 0;
const dialled: string[] = [];
const realConnect = net.connect;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/to-internal')
      return res.writeHead(302, { location: 'http://internal.example/x' }).end();
    if (req.url === '/to-loopback') return res.writeHead(302, { location: 'http://127.0.0.1/x' }).end();
    if (req.url === '/to-v4compat') return res.writeHead(302, { location: 'http://[::127.0.0.1]/x' }).end();
    if (req.url === '/to-rebind') return res.writeHead(302, { location: 'http://rebind.example/ok' }).end();
    res.end('image-bytes');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  // Every outgoing connection is recorded; the "public" address is rerouted to the local server and any
  // other address is refused here, so a wrong answer from the code under test still dials nothing.
  jest.spyOn(net, 'connect').mockImplementation(((opts: net.NetConnectOpts, cb?: () => void) => {
    const o = opts as net.TcpNetConnectOpts;
    const address = addressOf(o);
    dialled.push(address);
    if (address !== PUBLIC_IP) throw new Error(`test refused to dial ${address}`);
    return realConnect({ host: '127.0.0.1', port }, cb);
  }) as typeof net.connect);
  // The stub must sit where undici looks it up, or the tests below would dial for real: prove it first.
  const undiciNet = jest.requireActual<typeof net>('node:net');
  expect(() => undiciNet.connect({ host: '10.9.9.9', port: 9 })).toThrow('test refused to dial 10.9.9.9');
  dialled.length = 0;
});
afterAll(async () => {
  jest.restoreAllMocks();
  await new Promise((r) => server.close(r));
});
beforeEach(async () => {
  // Each test counts its own connections: none is left open from the one before.
  await closePinnedAgents();
  dialled.length = 0;
  lookups = [];
});

const outcome = (url: string) =>
  safeFetch(url, options).then(
    (b) => `fetched:${b.toString()}`,
    (e: unknown) => (e instanceof ContentFetchError ? e.code : `error:${String(e)}`),
  );

describe('safeFetch against server-side request forgery (connections stubbed)', () => {
  it('fetches a public host through a connection pinned to the address it checked', async () => {
    expect(await outcome('http://images.example/ok')).toBe('fetched:image-bytes');
    expect(dialled).toEqual([PUBLIC_IP]);
  });

  it('reuses the pinned connection for the next image from the same host and address', async () => {
    expect(await outcome('http://images.example/ok')).toBe('fetched:image-bytes');
    // undici returns the socket to its pool once the response has ended, a turn of the event loop later.
    await new Promise((r) => setImmediate(r));
    expect(await outcome('http://images.example/again')).toBe('fetched:image-bytes');
    expect(lookups).toEqual(['images.example', 'images.example']);
    expect(dialled).toEqual([PUBLIC_IP]);
  });

  it('does not resolve again when connecting (no DNS rebinding between check and connect)', async () => {
    expect(await outcome('http://rebind.example/ok')).toBe('fetched:image-bytes');
    expect(lookups).toEqual(['rebind.example']);
    expect(dialled).toEqual([PUBLIC_IP]);
  });

  it.each([
    ['a private host name', '/to-internal'],
    ['a loopback literal', '/to-loopback'],
    ['an IPv4-compatible IPv6 literal', '/to-v4compat'],
  ])(
    're-checks every redirect: a public page redirecting to %s is refused before connecting',
    async (_, path) => {
      expect(await outcome(`http://images.example${path}`)).toBe('CONTENT_URL_REJECTED');
      expect(dialled).toEqual([PUBLIC_IP]);
    },
  );

  it('checks a redirect target again even after a public hop (rebinding on the second hop)', async () => {
    expect(await outcome('http://images.example/to-rebind')).toBe('fetched:image-bytes');
    expect(dialled).toEqual([PUBLIC_IP, PUBLIC_IP]);
  });

  // The forms an attacker tries; each must be refused without a single connection.
  it.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://0.0.0.0/',
    'http://[::1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[::127.0.0.1]/',
    'https://[::127.0.0.1]/',
    'http://[::10.0.0.1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
    'http://[2001::1]/',
    'http://[fc00::1]/',
    'http://[fe80::1]/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.0.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://198.18.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://internal.example/',
    'http://metadata.example/',
    'http://mixed.example/',
    'http://v6-loop.example/',
    'http://127.0.0.1.nip.io/',
    'http://user:pass@127.0.0.1/',
    'http://images.example@127.0.0.1/',
    'file:///etc/passwd',
    'ftp://images.example/x',
    'gopher://images.example/x',
  ])('refuses %s without connecting', async (url) => {
    expect(await outcome(url)).toBe('CONTENT_URL_REJECTED');
    expect(dialled).toEqual([]);
  });
});
