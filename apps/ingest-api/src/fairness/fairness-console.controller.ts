import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiError, consoleFairnessQuerySchema, type ConsoleFairnessQuery } from '@clipguard/contracts';
import { ZodPipe } from '../common/zod.pipe';
import { roleIn } from '../console/access';
import { ConsoleGuard } from '../console/console.guard';
import { CurrentUser, type ConsoleUser } from '../console/console-request';
import { FairnessService } from './fairness.service';

/** The auditor's fairness report and drift charts (read_audit: auditors, leads, admins of the tenant). */
@Controller('v1/console')
@UseGuards(ConsoleGuard)
export class FairnessConsoleController {
  constructor(private readonly fairness: FairnessService) {}

  @Get('fairness')
  report(
    @CurrentUser() user: ConsoleUser,
    @Query(new ZodPipe(consoleFairnessQuerySchema, 'QUERY_INVALID')) q: ConsoleFairnessQuery,
  ) {
    this.mayRead(user, q.tenant);
    return this.fairness.report(q);
  }

  @Get('drift')
  drift(
    @CurrentUser() user: ConsoleUser,
    @Query(new ZodPipe(consoleFairnessQuerySchema, 'QUERY_INVALID')) q: ConsoleFairnessQuery,
  ) {
    this.mayRead(user, q.tenant);
    return this.fairness.drift(q);
  }

  private mayRead(user: ConsoleUser, tenant: string): void {
    if (!roleIn(user.memberships, tenant, 'read_audit'))
      throw new ApiError(
        'ROLE_FORBIDDEN',
        `your role in ${tenant} does not allow reading its fairness figures`,
      );
  }
}
