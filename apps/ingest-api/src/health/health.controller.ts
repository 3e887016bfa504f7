import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, HttpException, Inject, Res } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import { QUEUES } from '@clipguard/contracts';
import type { Database } from '@clipguard/storage';
import { MetricsService } from '../common/metrics.service';
import { DB, REDIS } from '../common/tokens';

@Controller()
export class HealthController {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectQueue(QUEUES.embed) private readonly embed: Queue,
    private readonly metrics: MetricsService,
  ) {}

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** Ready when Postgres and Redis answer; reports queue depth and the age of the oldest waiting job. */
  @Get('health/ready')
  async ready() {
    const checks: Record<string, unknown> = {};
    let ok = true;
    try {
      await sql`select 1`.execute(this.db);
      checks.postgres = 'ok';
    } catch (err) {
      ok = false;
      checks.postgres = String(err);
    }
    try {
      checks.redis = await this.redis.ping();
      // A worker consumes only once its model is loaded: connected workers stand for "models loaded".
      checks.clip_workers = (await this.embed.getWorkers()).length;
      const waiting = await this.embed.getWaiting(0, 0);
      checks.queue = {
        counts: await this.embed.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        oldest_wait_ms: waiting[0] ? Date.now() - waiting[0].timestamp : 0,
      };
    } catch (err) {
      ok = false;
      checks.redis = String(err);
    }
    if (!ok) throw new HttpException({ status: 'unavailable', checks }, 503);
    return { status: 'ready', checks };
  }

  @Get('metrics')
  async metricsText(@Res() reply: FastifyReply) {
    await reply
      .header('content-type', this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
