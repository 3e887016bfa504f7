import {
  BadRequestException,
  Body,
  Controller,
  Module,
  NotFoundException,
  PayloadTooLargeException,
  Post,
  type ArgumentsHost,
} from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { BankError } from '@clipguard/banks';
import { ClipError } from '@clipguard/clip';
import { ApiError } from '@clipguard/contracts';
import { LOGGER } from '@clipguard/infra';
import { createDatabase } from '@clipguard/storage';
import { silentLogger } from '@clipguard/testing';
import { ProblemFilter, toProblem } from './problem.filter';

/** What the filter sent: status, headers and body, from a reply that records them. */
function fakeReply() {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const reply = {
    status: (s: number) => ((sent.status = s), reply),
    header: (k: string, v: string) => ((sent.headers[k] = v), reply),
    send: (b: unknown) => ((sent.body = b), reply),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  return { sent, host };
}

const caught = async (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe('toProblem', () => {
  it('keeps every detail of an ApiError as a member of the problem', () => {
    const checks = { postgres: 'ECONNREFUSED', redis: 'PONG', clip_workers: 0 };
    expect(toProblem(new ApiError('NOT_READY', 'a dependency is unavailable', { checks }))).toEqual({
      type: 'https://clipguard.dev/problems/not_ready',
      title: 'NOT_READY',
      status: 503,
      code: 'NOT_READY',
      detail: 'a dependency is unavailable',
      checks,
    });
  });

  it.each([
    [new NotFoundException(), 404, 'NOT_FOUND'],
    [new PayloadTooLargeException(), 413, 'BODY_TOO_LARGE'],
    [new BadRequestException('bad'), 400, 'BAD_REQUEST'],
  ])('gives the framework exception %p a code for its status', (err, status, code) => {
    expect(toProblem(err)).toMatchObject({ status, code });
  });

  it('answers a database that refuses connections with 503 DATABASE_UNAVAILABLE', async () => {
    const db = createDatabase('postgres://postgres@127.0.0.1:1/none', { connectTimeoutMs: 1000 });
    try {
      const err = await caught(db.selectFrom('submissions').selectAll().execute());
      expect(err).toMatchObject({ code: 'ECONNREFUSED' });
      // Node's own errors come from outside Jest's sandbox, where `instanceof Error` fails; the same error
      // as the app process sees it:
      const { message, code } = err as { message: string; code: string };
      expect(toProblem(Object.assign(new Error(message), { code }))).toMatchObject({
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
      });
    } finally {
      await db.destroy();
    }
  });

  it('answers a terminated database connection (57P01) with 503 DATABASE_UNAVAILABLE', async () => {
    const client = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    client.on('error', () => undefined);
    await client.connect();
    const err = await caught(client.query('select pg_terminate_backend(pg_backend_pid())'));
    await client.end().catch(() => undefined);

    expect(err).toMatchObject({ code: '57P01' });
    expect(toProblem(err)).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  });

  it('answers refused bank input with the bank’s own code and message', () => {
    expect(toProblem(new BankError('PDQ_LOW_QUALITY', 'too flat'))).toMatchObject({
      status: 422,
      code: 'PDQ_LOW_QUALITY',
      detail: 'too flat',
    });
    expect(toProblem(new BankError('BANK_NOT_FOUND', 'no bank x'))).toMatchObject({ status: 404 });
  });

  it('answers an image the API could not decode with 422 IMAGE_INVALID (413 when too large)', () => {
    expect(toProblem(new ClipError('IMAGE_CORRUPT', 'truncated'))).toMatchObject({
      status: 422,
      code: 'IMAGE_INVALID',
      detail: 'truncated',
    });
    expect(toProblem(new ClipError('IMAGE_TOO_LARGE', 'big'))).toMatchObject({ status: 413 });
  });

  it('leaves an unknown error to the filter (undefined)', () => {
    expect(toProblem(new TypeError('x is undefined'))).toBeUndefined();
    expect(toProblem(Object.assign(new Error('boom'), { statusCode: 500 }))).toBeUndefined();
  });
});

describe('ProblemFilter', () => {
  const newFilter = () => {
    const logger = silentLogger();
    const error = jest.spyOn(logger, 'error');
    return { filter: new ProblemFilter(logger), error };
  };

  it('sends a problem+json body with the status of its code', () => {
    const { filter } = newFilter();
    const { sent, host } = fakeReply();

    filter.catch(new ApiError('API_KEY_INVALID', 'a valid API key is required'), host);

    expect(sent.status).toBe(401);
    expect(sent.headers['content-type']).toBe('application/problem+json');
    expect(sent.body).toMatchObject({ code: 'API_KEY_INVALID', detail: 'a valid API key is required' });
    expect(sent.headers['retry-after']).toBeUndefined();
  });

  it('tells a client to retry later while the database is unavailable', () => {
    const { filter } = newFilter();
    const { sent, host } = fakeReply();

    filter.catch(Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' }), host);

    expect(sent.status).toBe(503);
    expect(sent.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(sent.headers['retry-after']).toBe('5');
  });

  it('answers an unexpected error with 500 INTERNAL, logs it, and does not leak its message', () => {
    const { filter, error } = newFilter();
    const { sent, host } = fakeReply();

    filter.catch(new Error('password authentication failed for user "hunter2"'), host);

    expect(sent.status).toBe(500);
    expect(sent.body).toMatchObject({ code: 'INTERNAL', detail: 'internal error' });
    expect(JSON.stringify(sent.body)).not.toContain('hunter2');
    expect(error).toHaveBeenCalledTimes(1);
  });
});

@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown) {
    return body;
  }
}

@Module({
  controllers: [EchoController],
  providers: [
    { provide: LOGGER, useValue: silentLogger() },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
class EchoModule {}

describe('ProblemFilter in a Fastify app', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(
      EchoModule,
      new FastifyAdapter({ bodyLimit: 64 }),
      {
        logger: false,
      },
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const post = (payload: string, contentType: string) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: '/echo', payload, headers: { 'content-type': contentType } });

  it("answers Fastify's body limit with 413 BODY_TOO_LARGE", async () => {
    const res = await post(JSON.stringify({ pad: 'x'.repeat(100) }), 'application/json');

    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'BODY_TOO_LARGE', status: 413 });
  });

  it('answers an unsupported content type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await post('hello', 'application/x-unknown');

    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/nowhere' });

    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
