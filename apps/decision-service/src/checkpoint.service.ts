import type { KeyObject } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppEnv } from '@clipguard/config';
import { ENV, LOGGER } from '@clipguard/infra';
import { AuditRepository, CheckpointStore, loadSigningKey, takeCheckpoint } from '@clipguard/storage';

/**
 * Signs the audit chain's head periodically (and once more on shutdown) when a signing key is configured,
 * writing each checkpoint where the database cannot rewrite it.
 */
@Injectable()
export class CheckpointService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
  private readonly store: CheckpointStore;

  constructor(
    private readonly audit: AuditRepository,
    @Inject(ENV) private readonly env: AppEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.store = new CheckpointStore(env.CLIPGUARD_AUDIT_CHECKPOINT_DIR);
  }

  onApplicationBootstrap(): void {
    if (!this.env.CLIPGUARD_AUDIT_KEY_FILE) {
      this.logger.warn('CLIPGUARD_AUDIT_KEY_FILE is not set: the audit log is not checkpointed');
      return;
    }
    this.keys = loadSigningKey(this.env.CLIPGUARD_AUDIT_KEY_FILE);
    this.timer = setInterval(() => void this.checkpoint(), this.env.CLIPGUARD_AUDIT_CHECKPOINT_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checkpoint();
  }

  async checkpoint(): Promise<void> {
    if (!this.keys) return;
    try {
      const cp = await takeCheckpoint(this.audit, this.store, this.keys);
      if (cp) this.logger.info({ seq: cp.seq, head: cp.head }, 'audit checkpoint signed');
    } catch (err) {
      this.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'audit checkpoint failed; retrying next interval',
      );
    }
  }
}
