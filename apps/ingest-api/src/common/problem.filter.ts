import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { BankError } from '@clipguard/banks';
import { isInputError } from '@clipguard/clip';
import { API_ERRORS, ApiError, problem, type Problem } from '@clipguard/contracts';
import { LOGGER } from '@clipguard/infra';
import { isDatabaseUnavailable } from '@clipguard/storage';

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Maps any error to a problem: ours keep every member, framework and body-parser errors get a code. */
export function toProblem(err: unknown): Problem | undefined {
  if (err instanceof ApiError) return problem(err.status, err.code, err.message, err.details);
  // Refused bank input (a hash, an embedding, a bank definition): the bank's own code and message.
  if (err instanceof BankError) return problem(API_ERRORS[err.code], err.code, err.message);
  // An image the API decoded itself (a bank entry) and could not read.
  if (isInputError(err)) {
    const code = err.code === 'IMAGE_TOO_LARGE' ? 'IMAGE_TOO_LARGE' : 'IMAGE_INVALID';
    return problem(API_ERRORS[code], code, err.message);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    return problem(status, HTTP_CODES[status] ?? 'BAD_REQUEST', err.message);
  }
  if (isDatabaseUnavailable(err))
    return problem(503, 'DATABASE_UNAVAILABLE', 'the database is unavailable; retry later');
  // Fastify's own errors (body parser, limits) carry a 4xx statusCode.
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return problem(
      status,
      HTTP_CODES[status] ?? 'BAD_REQUEST',
      err instanceof Error ? err.message : 'bad request',
    );
  return undefined;
}

/** Every error leaves as a JSON problem with a stable code; unexpected ones are logged, never leaked. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let body = toProblem(err);
    if (!body) {
      this.logger.error({ err }, 'unhandled error');
      body = problem(500, 'INTERNAL', 'internal error');
    } else if (body.status === 503) {
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, body.detail);
    }
    if (body.status === 503) void reply.header('retry-after', '5');
    void reply.status(body.status).header('content-type', 'application/problem+json').send(body);
  }
}
