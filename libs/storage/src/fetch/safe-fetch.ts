import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import { Agent, request } from 'undici';

export type FetchErrorCode = 'CONTENT_URL_REJECTED' | 'CONTENT_TOO_LARGE' | 'CONTENT_FETCH_FAILED';

export class ContentFetchError extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
    /** Whether a retry may succeed (network trouble, 5xx), or the URL itself is refused. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'ContentFetchError';
  }
}

export interface SafeFetchOptions {
  /** Resolves a host name to its addresses (default: the system resolver; tests stub it). */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
  allowHttp: boolean;
  /** Tests only: let loopback and private addresses through. */
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

// IPv6 global unicast. Anything outside it (the deprecated IPv4-compatible ::a.b.c.d, which URL parsing
// turns into ::7f00:1 and ipaddr.js calls "unicast", and every other special block) is not public.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** Only public unicast addresses: no loopback, private, link-local, CGNAT, multicast, reserved, … */
export function isPublicAddress(address: string): boolean {
  const addr = ipaddr.parse(address);
  if (addr.kind() === 'ipv4') return addr.range() === 'unicast';
  const v6 = addr as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === 'unicast';
  return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST_V6);
}

const systemResolve = (hostname: string) => lookup(hostname, { all: true });

async function resolvePublic(hostname: string, options: SafeFetchOptions): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await (options.resolve ?? systemResolve)(host).catch(() => []);
  if (addresses.length === 0)
    throw new ContentFetchError('CONTENT_FETCH_FAILED', `cannot resolve ${hostname}`, true);
  const refused = addresses.find((a) => !options.allowPrivate && !isPublicAddress(a.address));
  if (refused)
    throw new ContentFetchError(
      'CONTENT_URL_REJECTED',
      `${hostname} resolves to non-public address ${refused.address}`,
      false,
    );
  return addresses;
}

/**
 * Agents pinned to checked addresses, kept by origin and address set so that fetches from one host reuse
 * its connections (a new TCP, or TLS, handshake per image cost the worker more CPU than the request).
 * An agent only ever connects to the addresses of its key: a host that resolves elsewhere gets another.
 */
const agents = new LRUCache<string, Agent>({
  max: 64,
  // Closing lets a request in flight on the agent finish first.
  dispose: (agent) => void agent.close(),
});

function pinnedAgent(url: URL, addresses: LookupAddress[]): Agent {
  const pins = addresses.map((a) => ({ address: a.address, family: a.family }));
  const key = `${url.origin} ${pins.map((a) => a.address).join(',')}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({
      // Bounded, so that a slow host cannot hold an unbounded number of sockets open.
      connections: 16,
      keepAliveTimeout: 4_000,
      connect: { lookup: (_host, _opts, cb) => cb(null, pins) },
    });
    agents.set(key, agent);
  }
  return agent;
}

/** Closes the pinned agents and their connections (shutdown; tests that count connections). */
export async function closePinnedAgents(): Promise<void> {
  const open = [...agents.values()];
  agents.clear();
  await Promise.all(open.map((a) => a.close()));
}

/**
 * Fetches untrusted image URLs: https only (unless allowed), every address checked after DNS
 * resolution and on every redirect, connections pinned to the checked address (no DNS rebinding),
 * bounded size and time.
 */
export async function safeFetch(url: string, options: SafeFetchOptions): Promise<Buffer> {
  let current = new URL(url);
  for (let hop = 0; hop <= options.maxRedirects; hop++) {
    if (current.protocol !== 'https:' && !(options.allowHttp && current.protocol === 'http:')) {
      throw new ContentFetchError('CONTENT_URL_REJECTED', `refusing ${current.protocol} URL`, false);
    }
    const addresses = await resolvePublic(current.hostname, options);
    const pinned = pinnedAgent(current, addresses);
    try {
      const res = await request(current, {
        dispatcher: pinned,
        method: 'GET',
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
        await res.body.dump();
        current = new URL(String(res.headers.location), current);
        continue;
      }
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new ContentFetchError(
          'CONTENT_FETCH_FAILED',
          `HTTP ${res.statusCode} from ${current.host}`,
          res.statusCode >= 500 || res.statusCode === 429,
        );
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > options.maxBytes) {
        await res.body.dump();
        throw new ContentFetchError(
          'CONTENT_TOO_LARGE',
          `${declared} bytes exceeds ${options.maxBytes}`,
          false,
        );
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        total += (chunk as Buffer).length;
        if (total > options.maxBytes) {
          res.body.destroy();
          throw new ContentFetchError('CONTENT_TOO_LARGE', `more than ${options.maxBytes} bytes`, false);
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks);
    } catch (err) {
      if (err instanceof ContentFetchError) throw err;
      throw new ContentFetchError(
        'CONTENT_FETCH_FAILED',
        `fetching ${current.host}: ${(err as Error).message}`,
        true,
      );
    }
  }
  throw new ContentFetchError('CONTENT_URL_REJECTED', `more than ${options.maxRedirects} redirects`, false);
}
