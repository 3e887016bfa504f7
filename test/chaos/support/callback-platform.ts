import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a tenant's callback endpoint behaves right now. */
export type EndpointMode =
  | { kind: 'ok'; delayMs?: number }
  /** Answers 503 (the endpoint is down). */
  | { kind: 'down' }
  /** Sends 200 headers, then one byte every `everyMs`, and never ends the response. */
  | { kind: 'trickle'; everyMs: number };

/** A callback as received: its Standard Webhooks id, the submission it is about, and when it arrived. */
export interface Receipt {
  tenant: string;
  webhookId: string;
  submissionId: string;
  at: number;
}

/** One request to a trickling endpoint: when it came and when the sender gave up on it. */
export interface HeldRequest {
  tenant: string;
  webhookId: string;
  startedAt: number;
  closedAt?: number;
}

/**
 * The platform's callback endpoints, one per tenant at /cb/<tenant>, each switchable between answering,
 * being down and trickling. Only answered (2xx) callbacks count as received.
 */
export class CallbackPlatform {
  readonly receipts: Receipt[] = [];
  readonly held: HeldRequest[] = [];
  /** Requests answered 503, per tenant. */
  readonly refused = new Map<string, number>();
  /** Most requests one tenant's endpoint had open at once. */
  readonly maxOpen = new Map<string, number>();
  private readonly modes = new Map<string, EndpointMode>();
  private readonly open = new Map<string, number>();
  private server: Server | undefined;
  url = '';

  set(tenant: string, mode: EndpointMode): void {
    this.modes.set(tenant, mode);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Callbacks received per webhook id. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.receipts) counts.set(r.webhookId, (counts.get(r.webhookId) ?? 0) + 1);
    return counts;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const tenant = decodeURIComponent((req.url ?? '').replace(/^\/cb\//, ''));
    const webhookId = String(req.headers['webhook-id'] ?? '');
    const open = (this.open.get(tenant) ?? 0) + 1;
    this.open.set(tenant, open);
    this.maxOpen.set(tenant, Math.max(open, this.maxOpen.get(tenant) ?? 0));
    res.once('close', () => this.open.set(tenant, (this.open.get(tenant) ?? 1) - 1));
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const mode = this.modes.get(tenant) ?? { kind: 'ok' };
      switch (mode.kind) {
        case 'down':
          this.refused.set(tenant, (this.refused.get(tenant) ?? 0) + 1);
          res.statusCode = 503;
          res.end('unavailable');
          return;
        case 'trickle':
          return this.trickle(tenant, webhookId, res, mode.everyMs);
        case 'ok': {
          const answer = () => {
            const body = JSON.parse(raw) as { data: { id: string } };
            this.receipts.push({ tenant, webhookId, submissionId: body.data.id, at: Date.now() });
            res.end('ok');
          };
          if (mode.delayMs) setTimeout(answer, mode.delayMs);
          else answer();
          return;
        }
      }
    });
  }

  private trickle(tenant: string, webhookId: string, res: ServerResponse, everyMs: number): void {
    const held: HeldRequest = { tenant, webhookId, startedAt: Date.now() };
    this.held.push(held);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('.');
    const timer = setInterval(() => res.write('.'), everyMs);
    res.once('close', () => {
      clearInterval(timer);
      held.closedAt = Date.now();
    });
  }
}
