import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { matchesSecret } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { SESSION_COOKIE, type ConsoleRequest } from './console-request';
import { SessionService } from './session.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a state-changing request comes from the console's own origin (when the browser says). */
export function sameOrigin(req: ConsoleRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `${req.protocol}://${req.host}`;
}

/**
 * The console's session and CSRF check: a live session from the cookie (else 401), and on every
 * state-changing request the session's CSRF token in `x-csrf-token` from the same origin (else 403).
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<ConsoleRequest>();
    const token = req.cookies[SESSION_COOKIE];
    const user = token ? await this.sessions.current(token) : undefined;
    if (!user) throw new ApiError('SESSION_REQUIRED', 'sign in to the console first');
    if (!SAFE_METHODS.has(req.method)) {
      const csrf = req.headers['x-csrf-token'];
      if (typeof csrf !== 'string' || !matchesSecret(csrf, [user.csrfToken]) || !sameOrigin(req))
        throw new ApiError('CSRF_INVALID', 'missing or wrong CSRF token, or a cross-site request');
    }
    req.consoleUser = user;
    return true;
  }
}
