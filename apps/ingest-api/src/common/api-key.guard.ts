import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { bearerToken, matchesSecret, secretsFromEnv, type TenantsFile } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { TENANTS } from '@clipguard/infra';
import type { AuthenticatedRequest } from './request-context';

/**
 * `Authorization: Bearer <key>` → the tenant whose key it is. Every tenant's every key is compared in
 * constant time, so neither the match nor its position leaks through timing.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(TENANTS) private readonly tenants: TenantsFile) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = bearerToken(req.headers.authorization);
    let tenant: string | undefined;
    if (key) {
      for (const [name, t] of Object.entries(this.tenants.tenants)) {
        if (matchesSecret(key, secretsFromEnv(t.api_key_envs)) && tenant === undefined) tenant = name;
      }
    }
    if (!tenant)
      throw new ApiError('API_KEY_INVALID', 'a valid API key is required (Authorization: Bearer …)');
    req.tenant = tenant;
    return true;
  }
}
