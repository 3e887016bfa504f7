import { Controller, Get, Inject } from '@nestjs/common';
import type { AppEnv } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { ENV } from '@clipguard/infra';
import { CheckpointStore } from '@clipguard/storage';

/**
 * Signed audit checkpoints, for outside parties to keep copies of: they hold sequence numbers, hashes and
 * signatures only, nothing about content or tenants, so they are public.
 */
@Controller('v1/audit/checkpoints')
export class AuditController {
  private readonly store: CheckpointStore;

  constructor(@Inject(ENV) env: AppEnv) {
    this.store = new CheckpointStore(env.CLIPGUARD_AUDIT_CHECKPOINT_DIR);
  }

  @Get()
  list() {
    return {
      public_key: this.store.publicKeyPem() ?? null,
      checkpoints: this.store.list().map((c) => c.checkpoint),
    };
  }

  @Get('latest')
  latest() {
    const cp = this.store.latest();
    if (!cp) throw new ApiError('NOT_FOUND', 'no checkpoint has been written yet');
    return cp;
  }
}
