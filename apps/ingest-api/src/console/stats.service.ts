import { Injectable } from '@nestjs/common';
import type { ConsoleStats } from '@clipguard/contracts';
import { ReviewStatsRepository } from '@clipguard/storage';
import { tenantsFor } from './access';
import type { ConsoleUser } from './console-request';
import { QueueService } from './queue.service';

const DAYS = 14;
const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

/** What leads watch, over the last two weeks of the tenants they lead. */
@Injectable()
export class StatsService {
  constructor(
    private readonly stats: ReviewStatsRepository,
    private readonly queues: QueueService,
  ) {}

  async forLead(user: ConsoleUser): Promise<ConsoleStats> {
    const tenants = tenantsFor(user, 'manage_queue');
    const [queues, perModerator, ttd, qa, appeals] = await Promise.all([
      this.queues.summaries(user),
      this.stats.perModeratorPerDay(tenants, DAYS),
      this.stats.timeToDecision(tenants, DAYS),
      this.stats.qaAgreement(tenants, DAYS),
      this.stats.appeals(tenants, DAYS),
    ]);
    const decided = Number(appeals.decided);
    const overturned = Number(appeals.overturned);
    return {
      queues: queues.filter((q) => tenants.includes(q.tenant)),
      per_moderator: perModerator.map((r) => ({ user: r.user, day: r.day, resolved: Number(r.resolved) })),
      time_to_decision_seconds: { p50: round(ttd.p50), p90: round(ttd.p90), p99: round(ttd.p99) },
      qa_agreement: qa.map((r) => ({
        category: r.category,
        items: Number(r.items),
        agreement: r.agreement === null ? null : Number(r.agreement),
      })),
      appeals: { decided, overturned, overturn_rate: decided ? overturned / decided : null },
    };
  }
}
