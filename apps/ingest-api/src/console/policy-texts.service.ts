import { readFile } from 'node:fs/promises';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppEnv } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { ENV, LOGGER } from '@clipguard/infra';
import type { ParsedPolicy } from '@clipguard/policy';
import { PolicyCatalog } from '@clipguard/storage';

/** The policy versions as files: thresholds for the decision receipt, and the file's text one click away. */
@Injectable()
export class PolicyTextsService implements OnModuleInit, OnApplicationShutdown {
  private readonly catalog: PolicyCatalog<ParsedPolicy>;

  constructor(
    @Inject(ENV) private readonly env: AppEnv,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.catalog = new PolicyCatalog<ParsedPolicy>(
      env.CLIPGUARD_POLICIES_DIR,
      (p) => Promise.resolve(p),
      logger,
    );
  }

  async onModuleInit(): Promise<void> {
    await this.catalog.reload();
    this.catalog.watch(this.env.CLIPGUARD_POLICY_RELOAD_MS);
  }

  onApplicationShutdown(): void {
    this.catalog.stop();
  }

  get(id: string, version: number): ParsedPolicy | undefined {
    return this.catalog.get(id, version);
  }

  async text(id: string, version: number) {
    const p = this.catalog.get(id, version);
    if (!p) throw new ApiError('POLICY_NOT_FOUND', `policy ${id} v${version} is not loaded`);
    return { id, version, hash: p.hash, text: await readFile(p.file, 'utf8') };
  }
}
