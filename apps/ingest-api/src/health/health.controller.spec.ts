import { GUARDS_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '@clipguard/contracts';
import { mockOf, testEnv } from '@clipguard/testing';
import { MetricsService } from '../common/metrics.service';
import { MetricsTokenGuard } from '../common/metrics-token.guard';
import { toProblem } from '../common/problem.filter';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

const TOKEN = 'operator-token-0123456789';
const checks = { postgres: 'connect ECONNREFUSED', redis: 'PONG', clip_workers: 1 };

function newTestController(env: Record<string, string> = {}) {
  const mocks = { health: mockOf(HealthService), metrics: mockOf(MetricsService) };
  const sut = new HealthController(mocks.health, mocks.metrics, testEnv(env));
  return { sut, mocks };
}

const request = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as FastifyRequest;

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('HealthController', () => {
  it('is live without asking anything', () => {
    expect(newTestController().sut.live()).toEqual({ status: 'ok' });
  });

  it('is ready with the checks', async () => {
    const { sut, mocks } = newTestController();
    mocks.health.readiness.mockResolvedValue({ ok: true, checks: { postgres: 'ok' } });

    expect(await sut.ready(request())).toEqual({ status: 'ready', checks: { postgres: 'ok' } });
  });

  it('answers NOT_READY (503) keeping every check in the problem', async () => {
    const { sut, mocks } = newTestController();
    mocks.health.readiness.mockResolvedValue({ ok: false, checks });

    const err = await refusal(sut.ready(request()));

    expect(err.code).toBe('NOT_READY');
    expect(toProblem(err)).toMatchObject({ status: 503, code: 'NOT_READY', checks });
  });

  it('shows the checks of a failed readiness to the operator token when one is configured', async () => {
    const { sut, mocks } = newTestController({ CLIPGUARD_METRICS_TOKEN: TOKEN });
    mocks.health.readiness.mockResolvedValue({ ok: false, checks });

    const err = await refusal(sut.ready(request(`Bearer ${TOKEN}`)));

    expect(toProblem(err)).toMatchObject({ checks });
  });

  it('hides the checks from a caller without the operator token, keeping the status', async () => {
    const { sut, mocks } = newTestController({ CLIPGUARD_METRICS_TOKEN: TOKEN });
    mocks.health.readiness.mockResolvedValue({ ok: false, checks });

    const err = await refusal(sut.ready(request()));

    expect(toProblem(err)).toMatchObject({ status: 503, code: 'NOT_READY' });
    expect(toProblem(err)).not.toHaveProperty('checks');

    mocks.health.readiness.mockResolvedValue({ ok: true, checks });
    expect(await sut.ready(request('Bearer wrong-token-000000000'))).toEqual({ status: 'ready' });
  });

  it('serves the metrics registry behind the operator token guard', async () => {
    const { sut, mocks } = newTestController();
    const registry = { contentType: 'text/plain; version=0.0.4', metrics: () => Promise.resolve('m 1\n') };
    Object.assign(mocks.metrics, { registry });
    const reply = { header: jest.fn(), send: jest.fn() };
    reply.header.mockReturnValue(reply);

    await sut.metricsText(reply as unknown as FastifyReply);

    expect(reply.header).toHaveBeenCalledWith('content-type', 'text/plain; version=0.0.4');
    expect(reply.send).toHaveBeenCalledWith('m 1\n');
    expect(Reflect.getMetadata(GUARDS_METADATA, sut.metricsText)).toContain(MetricsTokenGuard);
  });
});
