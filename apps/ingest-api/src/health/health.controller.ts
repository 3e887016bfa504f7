import { Controller, Get, Inject, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppEnv } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { ENV } from '@clipguard/infra';
import { MetricsService } from '../common/metrics.service';
import { MetricsTokenGuard, hasOperatorToken } from '../common/metrics-token.guard';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
    @Inject(ENV) private readonly env: AppEnv,
  ) {}

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /**
   * 200 when ready, 503 (NOT_READY) when not. The checks (queue depth, workers, unfinished work) are
   * shown only with the operator token when one is configured; load balancers need only the status.
   */
  @Get('health/ready')
  async ready(@Req() req: FastifyRequest) {
    const { ok, checks } = await this.health.readiness();
    const details = hasOperatorToken(this.env, req) ? { checks } : {};
    if (!ok) throw new ApiError('NOT_READY', 'a dependency is unavailable', details);
    return { status: 'ready', ...details };
  }

  @Get('metrics')
  @UseGuards(MetricsTokenGuard)
  async metricsText(@Res() reply: FastifyReply) {
    await reply
      .header('content-type', this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
