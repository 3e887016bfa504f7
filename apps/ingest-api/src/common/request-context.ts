import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** What guards put on the request: the acting tenant, never read from a body. */
export interface AuthenticatedRequest extends FastifyRequest {
  tenant?: string;
  webhookId?: string;
}

/** The tenant a guard authenticated (ApiKeyGuard or WebhookGuard). */
export const Tenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const tenant = ctx.switchToHttp().getRequest<AuthenticatedRequest>().tenant;
  if (!tenant) throw new Error('Tenant() used on a route without an authenticating guard');
  return tenant;
});
