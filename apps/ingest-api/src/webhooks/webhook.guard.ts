import {
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type RawBodyRequest,
} from '@nestjs/common';
import { secretsFromEnv, tenantConfig, type TenantsFile } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { TENANTS } from '@clipguard/infra';
import { RateLimiter } from '../common/rate-limiter';
import type { AuthenticatedRequest } from '../common/request-context';
import { verifyWebhook } from './webhook-verifier';

/**
 * A webhook is the tenant's when its Standard Webhooks signature verifies with one of the tenant's secrets
 * and its timestamp is within tolerance; then the tenant's rate limit applies. Nothing is stored here: a
 * sender retries a refused delivery with the same webhook id and a fresh timestamp and signature, and that
 * retry must be processed; idempotency comes from the event id when the submission is stored.
 */
@Injectable()
export class WebhookGuard implements CanActivate {
  constructor(
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<RawBodyRequest<AuthenticatedRequest>>();
    const name = (req.params as Record<string, string>).tenant;
    const config = tenantConfig(this.tenants, name);
    if (!config) throw new ApiError('TENANT_UNKNOWN', `unknown tenant "${name}"`);
    const { id } = verifyWebhook(
      secretsFromEnv(config.webhook_secret_envs),
      req.rawBody ?? Buffer.alloc(0),
      req.headers,
    );
    await this.rateLimiter.take(name, config.rate_limit_per_minute);
    req.tenant = name;
    req.webhookId = id;
    return true;
  }
}
