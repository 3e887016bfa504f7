import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerToken, matchesSecret, type AppEnv } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { ENV } from '@clipguard/infra';

/** Whether a request presents the operator token (always true when no token is configured). */
export function hasOperatorToken(env: AppEnv, req: FastifyRequest): boolean {
  const expected = env.CLIPGUARD_METRICS_TOKEN;
  if (!expected) return true;
  const token = bearerToken(req.headers.authorization);
  return token !== undefined && matchesSecret(token, [expected]);
}

/** /metrics exposes traffic and queue depth: behind CLIPGUARD_METRICS_TOKEN when one is set. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(ENV) private readonly env: AppEnv) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (hasOperatorToken(this.env, ctx.switchToHttp().getRequest<FastifyRequest>())) return true;
    throw new ApiError(
      'METRICS_TOKEN_INVALID',
      'this endpoint needs the operator token (Authorization: Bearer …)',
    );
  }
}
