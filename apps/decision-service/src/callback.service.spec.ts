import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { CallbackRepository, type CallbackDelivery } from '@clipguard/storage';
import { mockOf, silentLogger, testEnv, testSecret, testTenants } from '@clipguard/testing';
import { CallbackFailed, CallbackService } from './callback.service';
import { DecisionMetrics } from './decision.metrics';

const SECRET_ENV = 'CG_UNIT_CALLBACK_SECRET';
const SECRET = testSecret('callback-unit');
// Generous: the machine running the tests may be busy; only the trickling endpoint should reach it.
const TIMEOUT_MS = 2000;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** The platform's endpoint: answers each request with what the test sets in `respond`. */
class Endpoint {
  received: Received[] = [];
  respond: (res: ServerResponse) => void = (res) => res.end('ok');
  private server!: Server;
  private timers = new Set<NodeJS.Timeout>();
  url = '';

  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body });
        this.respond(res);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
  }

  /** Sends the status and headers at once, then one byte of body every 100 ms, never finishing. */
  trickle(res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('.'), 100);
    this.timers.add(timer);
    res.on('close', () => clearInterval(timer));
  }

  stop() {
    for (const t of this.timers) clearInterval(t);
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

const delivery = (url: string, tenant = 'acme'): CallbackDelivery => ({
  id: 'a4b5c6d7-0000-4000-8000-0000000000d1',
  submission_id: 'a4b5c6d7-0000-4000-8000-000000000001',
  kind: 'moderation.decided',
  ref: '',
  tenant,
  url,
  status: 'pending',
  attempts: 0,
  last_status: null,
  last_error: null,
  payload: { id: 'a4b5c6d7-0000-4000-8000-000000000001', verdict: 'block' },
  sending_until: null,
  created_at: new Date(),
  updated_at: new Date(),
});

function newTestService() {
  const mocks = { callbacks: mockOf(CallbackRepository), metrics: new DecisionMetrics() };
  const tenants = testTenants({ acme: { callback_secret_env: SECRET_ENV }, unsigned: {} });
  const sut = new CallbackService(
    mocks.callbacks,
    mocks.metrics,
    tenants,
    testEnv({ CLIPGUARD_CALLBACK_TIMEOUT_MS: String(TIMEOUT_MS) }),
    silentLogger(),
  );
  return { sut, mocks };
}

const outcomes = async (metrics: DecisionMetrics) =>
  (await metrics.callbacks.get()).values.map((v) => [v.labels.outcome, v.value]);

describe('CallbackService.deliver', () => {
  const endpoint = new Endpoint();
  beforeAll(async () => {
    process.env[SECRET_ENV] = SECRET;
    await endpoint.start();
  });
  afterAll(async () => {
    delete process.env[SECRET_ENV];
    await endpoint.stop();
  });
  beforeEach(() => {
    endpoint.received = [];
    endpoint.respond = (res) => res.end('ok');
  });

  it('records a 2xx answer as delivered', async () => {
    const { sut, mocks } = newTestService();
    endpoint.respond = (res) => ((res.statusCode = 204), res.end());

    await sut.deliver(delivery(endpoint.url), false);

    expect(mocks.callbacks.recordAttempt).toHaveBeenCalledWith(delivery('').id, 'delivered', {
      status: 204,
      error: null,
    });
    expect(await outcomes(mocks.metrics)).toEqual([['delivered', 1]]);
  });

  it("signs the callback so standardwebhooks verifies it with the tenant's callback secret", async () => {
    const { sut } = newTestService();
    const d = delivery(endpoint.url);

    await sut.deliver(d, false);

    const [{ headers, body }] = endpoint.received;
    const verified = new Webhook(SECRET).verify(body, headers as Record<string, string>);
    expect(verified).toMatchObject({ type: 'moderation.decided', data: d.payload });
    expect(headers['webhook-id']).toBe(d.id);
    expect(() =>
      new Webhook(testSecret('someone-else')).verify(body, headers as Record<string, string>),
    ).toThrow();
  });

  it("sends the delivery's kind as the event type (a human review, an appeal)", async () => {
    const { sut } = newTestService();

    await sut.deliver({ ...delivery(endpoint.url), kind: 'moderation.reviewed', ref: 'review-1' }, false);

    expect(JSON.parse(endpoint.received[0].body)).toMatchObject({ type: 'moderation.reviewed' });
  });

  it('sends no signature for a tenant without a callback secret', async () => {
    const { sut } = newTestService();

    await sut.deliver(delivery(endpoint.url, 'unsigned'), false);

    expect(endpoint.received[0].headers['webhook-signature']).toBeUndefined();
  });

  it('keeps a delivery pending after a non-2xx answer and throws so the job is retried', async () => {
    const { sut, mocks } = newTestService();
    endpoint.respond = (res) => ((res.statusCode = 503), res.end('down'));

    await expect(sut.deliver(delivery(endpoint.url), false)).rejects.toBeInstanceOf(CallbackFailed);

    expect(mocks.callbacks.recordAttempt).toHaveBeenCalledWith(expect.any(String), 'pending', {
      status: 503,
      error: null,
    });
    expect(await outcomes(mocks.metrics)).toEqual([['retry', 1]]);
  });

  it('dead-letters the delivery after a non-2xx answer on the final attempt', async () => {
    const { sut, mocks } = newTestService();
    endpoint.respond = (res) => ((res.statusCode = 500), res.end());

    await expect(sut.deliver(delivery(endpoint.url), true)).rejects.toBeInstanceOf(CallbackFailed);

    expect(mocks.callbacks.recordAttempt).toHaveBeenCalledWith(expect.any(String), 'dead', {
      status: 500,
      error: null,
    });
    expect(await outcomes(mocks.metrics)).toEqual([['dead', 1]]);
  });

  it('records an endpoint that refuses connections as an error without a status', async () => {
    const { sut, mocks } = newTestService();

    await expect(sut.deliver(delivery('http://127.0.0.1:1/callback'), false)).rejects.toBeInstanceOf(
      CallbackFailed,
    );

    const [, next, outcome] = mocks.callbacks.recordAttempt.mock.calls[0];
    expect(next).toBe('pending');
    expect(outcome.status).toBeNull();
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('retries recording a delivered attempt while the database is away, so the callback is not sent again', async () => {
    const { sut, mocks } = newTestService();
    const dropped = Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    mocks.callbacks.recordAttempt.mockRejectedValueOnce(dropped).mockResolvedValueOnce(undefined);

    await sut.deliver(delivery(endpoint.url), false);

    expect(endpoint.received).toHaveLength(1);
    expect(mocks.callbacks.recordAttempt).toHaveBeenCalledTimes(2);
    expect(mocks.callbacks.recordAttempt).toHaveBeenLastCalledWith(expect.any(String), 'delivered', {
      status: 200,
      error: null,
    });
  });

  it('does not retry recording after an error that is not the database being away', async () => {
    const { sut, mocks } = newTestService();
    mocks.callbacks.recordAttempt.mockRejectedValueOnce(new Error('value too long for type'));

    await expect(sut.deliver(delivery(endpoint.url), false)).rejects.toThrow('value too long');
    expect(mocks.callbacks.recordAttempt).toHaveBeenCalledTimes(1);
  });

  it('cuts an endpoint that trickles its response at the timeout for the whole request', async () => {
    const { sut, mocks } = newTestService();
    endpoint.respond = (res) => endpoint.trickle(res);

    await expect(sut.deliver(delivery(endpoint.url), false)).rejects.toBeInstanceOf(CallbackFailed);

    expect(mocks.callbacks.recordAttempt).toHaveBeenCalledWith(expect.any(String), 'pending', {
      status: null,
      error: `no complete response within ${TIMEOUT_MS} ms`,
    });
  }, 15_000);
});

describe('CallbackService.pending', () => {
  it.each([
    ['pending', true],
    ['delivered', false],
    ['dead', false],
  ])('gives back a %s delivery to send: %s', async (status, sent) => {
    const { sut, mocks } = newTestService();
    const d = { ...delivery('https://platform.example/cb'), status };
    mocks.callbacks.find.mockResolvedValue(d);

    expect(await sut.pending(d.id)).toBe(sent ? d : undefined);
  });

  it('gives back nothing for an unknown delivery', async () => {
    const { sut } = newTestService();
    expect(await sut.pending('a4b5c6d7-0000-4000-8000-0000000000ff')).toBeUndefined();
  });
});
