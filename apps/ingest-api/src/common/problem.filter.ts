import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { ApiError, problem } from '@clipguard/contracts';

/** Every error leaves as a JSON problem with a stable code; unexpected ones are logged, never leaked. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let body: ReturnType<typeof problem>;
    if (err instanceof ApiError) {
      body = problem(err.status, err.code, err.message);
    } else if (err instanceof HttpException) {
      const status = err.getStatus();
      const code =
        status === 413
          ? 'BODY_TOO_LARGE'
          : status === 404
            ? 'NOT_FOUND'
            : status === 400
              ? 'BAD_REQUEST'
              : 'HTTP_ERROR';
      body = problem(status, code, err.message);
    } else if (
      err &&
      typeof err === 'object' &&
      'statusCode' in err &&
      typeof err.statusCode === 'number' &&
      err.statusCode < 500
    ) {
      const code = err.statusCode === 413 ? 'BODY_TOO_LARGE' : 'BAD_REQUEST';
      body = problem(err.statusCode, code, err instanceof Error ? err.message : 'bad request');
    } else {
      this.logger.error({ err }, 'unhandled error');
      body = problem(500, 'INTERNAL', 'internal error');
    }
    void reply.status(body.status).header('content-type', 'application/problem+json').send(body);
  }
}
