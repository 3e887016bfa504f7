import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadPipelineEnv, type TenantsFile } from '@clipguard/config';
import type { CallbackDelivery, CallbackRepository } from '@clipguard/storage';
import { CallbackFailed, CallbackService } from './callback.service';
import { DecisionMetrics } from './decision.metrics';

/** An endpoint that answers 200 headers at once, then one byte every 200 ms, and never ends the body. */
function tricklingEndpoint(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200);
    const timer = setInterval(() => res.write('.'), 200);
    res.once('close', () => clearInterval(timer));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb` }),
    ),
  );
}

describe('CallbackService', () => {
  it('fails a callback whose response body does not complete within the timeout, even after 200 headers', async () => {
    const { server, url } = await tricklingEndpoint();
    const attempts: { next: string; status: number | null; error: string | null }[] = [];
    const repository = {
      recordAttempt: (
        _id: string,
        next: string,
        outcome: { status: number | null; error: string | null },
      ) => {
        attempts.push({ next, ...outcome });
        return Promise.resolve();
      },
    } as unknown as CallbackRepository;
    const env = loadPipelineEnv({ CLIPGUARD_CALLBACK_TIMEOUT_MS: '600' });
    const tenants: TenantsFile = { tenants: {} };
    const service = new CallbackService(
      repository,
      new DecisionMetrics(),
      tenants,
      env,
      pino({ level: 'silent' }),
    );
    const delivery = {
      id: 'delivery-1',
      submission_id: 'submission-1',
      tenant: 'acme',
      url,
      payload: { id: 'submission-1' },
    } as unknown as CallbackDelivery;
    try {
      await expect(service.deliver(delivery, false)).rejects.toBeInstanceOf(CallbackFailed);
      expect(attempts).toEqual([
        { next: 'pending', status: null, error: 'no complete response within 600 ms' },
      ]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
