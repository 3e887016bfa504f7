import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { fairnessReportQuerySchema, type FairnessReportQuery } from '@clipguard/contracts';
import { ApiKeyGuard } from '../common/api-key.guard';
import { Tenant } from '../common/request-context';
import { ZodPipe } from '../common/zod.pipe';
import { FairnessService } from './fairness.service';

/** The fairness report of the tenant whose API key is presented (its live policy version by default). */
@Controller('v1/reports')
@UseGuards(ApiKeyGuard)
export class FairnessReportController {
  constructor(private readonly fairness: FairnessService) {}

  @Get('fairness')
  report(
    @Tenant() tenant: string,
    @Query(new ZodPipe(fairnessReportQuerySchema, 'QUERY_INVALID')) q: FairnessReportQuery,
  ) {
    return this.fairness.report({ tenant, ...q });
  }
}
