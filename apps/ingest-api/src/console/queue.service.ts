import { Inject, Injectable } from '@nestjs/common';
import { tenantsWith, workableQueues } from '@clipguard/auth';
import { tenantConfig, type AppEnv, type TenantsFile } from '@clipguard/config';
import type { NextItemBody, QueueFilter, QueueKind, QueueSummary } from '@clipguard/contracts';
import { ENV, TENANTS } from '@clipguard/infra';
import { ReviewQueueRepository } from '@clipguard/storage';
import { queueTenants } from './access';
import type { ConsoleUser } from './console-request';
import { ItemService } from './item.service';
import { itemSummary } from './item-view';

/** The console's queues: what a user may work, what is waiting, and taking the next item. */
@Injectable()
export class QueueService {
  constructor(
    private readonly queue: ReviewQueueRepository,
    private readonly items: ItemService,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    @Inject(ENV) private readonly env: AppEnv,
  ) {}

  slaSeconds(tenant: string): number {
    return (tenantConfig(this.tenants, tenant)?.review_sla_minutes ?? 60) * 60;
  }

  /** Every queue and tenant the user may work, with depth, claims, oldest age and SLA breaches. */
  async summaries(user: ConsoleUser): Promise<QueueSummary[]> {
    const workable = user.memberships.flatMap((m) =>
      workableQueues(m.role).map((queue) => ({ queue, tenant: m.tenant })),
    );
    const rows = await this.queue.summaries(tenantsWith(user.memberships, 'work_review'));
    return Promise.all(
      workable.map(async ({ queue, tenant }) => {
        const row = rows.find((r) => r.queue === queue && r.tenant === tenant);
        const sla = this.slaSeconds(tenant);
        return {
          queue,
          tenant,
          depth: Number(row?.depth ?? 0),
          claimed: Number(row?.claimed ?? 0),
          oldest_age_seconds: Math.round(Number(row?.oldest_age_seconds ?? 0)),
          sla_seconds: sla,
          breaching: row ? await this.queue.olderThan(tenant, queue, sla) : 0,
        };
      }),
    );
  }

  async list(user: ConsoleUser, queue: QueueKind, filter: QueueFilter) {
    const rows = await this.queue.list(queue, queueTenants(user, queue), filter, 200);
    return { items: rows.map((r) => itemSummary(r, this.slaSeconds(r.tenant))) };
  }

  /** Claims the next item (or returns the one the user holds) and shows it; null when the queue is empty. */
  async next(user: ConsoleUser, queue: QueueKind, body: NextItemBody) {
    const { exclude, ...filter } = body;
    const id = await this.queue.claimNext(
      { userId: user.id, name: user.displayName },
      queue,
      queueTenants(user, queue),
      filter,
      exclude,
      this.env.CLIPGUARD_CONSOLE_CLAIM_SECONDS,
    );
    return { item: id ? await this.items.view(user, id) : null };
  }
}
