import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Membership } from '@clipguard/contracts';

/** The console user a session stands for, put on the request by ConsoleGuard. */
export interface ConsoleUser {
  id: string;
  email: string;
  displayName: string;
  memberships: Membership[];
  tokenHash: string;
  csrfToken: string;
  itemsViewed: number;
  expiresAt: Date;
  preferences: Record<string, unknown>;
}

export interface ConsoleRequest extends FastifyRequest {
  consoleUser?: ConsoleUser;
}

export const SESSION_COOKIE = 'cg_session';

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): ConsoleUser => {
  const user = ctx.switchToHttp().getRequest<ConsoleRequest>().consoleUser;
  if (!user) throw new Error('CurrentUser() used on a route without ConsoleGuard');
  return user;
});
