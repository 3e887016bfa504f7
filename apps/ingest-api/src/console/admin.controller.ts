import { Body, Controller, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { userCreateBodySchema, userUpdateBodySchema, verdictSchema } from '@clipguard/contracts';
import { AuditRepository, DecisionRepository } from '@clipguard/storage';
import { ZodPipe } from '../common/zod.pipe';
import { tenantsFor } from './access';
import { ConsoleGuard } from './console.guard';
import { CurrentUser, type ConsoleUser } from './console-request';
import { PolicyTextsService } from './policy-texts.service';
import { UsersService } from './users.service';

const decisionsQuery = z.strictObject({
  tenant: z.string().max(100).optional(),
  verdict: verdictSchema.optional(),
  before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const auditQuery = z.strictObject({
  ref: z.string().max(200).optional(),
  before: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Users (admins), decisions and the audit log (auditors, leads, admins), policy files (everyone). */
@Controller('v1/console')
@UseGuards(ConsoleGuard)
export class ConsoleAdminController {
  constructor(
    private readonly users: UsersService,
    private readonly decisions: DecisionRepository,
    private readonly audit: AuditRepository,
    private readonly policies: PolicyTextsService,
  ) {}

  @Get('users')
  async listUsers(@CurrentUser() admin: ConsoleUser) {
    return { users: await this.users.list(admin) };
  }

  @Post('users')
  createUser(
    @CurrentUser() admin: ConsoleUser,
    @Body(new ZodPipe(userCreateBodySchema)) body: z.infer<typeof userCreateBodySchema>,
  ) {
    return this.users.create(admin, body);
  }

  @Patch('users/:id')
  updateUser(
    @CurrentUser() admin: ConsoleUser,
    @Param('id') id: string,
    @Body(new ZodPipe(userUpdateBodySchema)) body: z.infer<typeof userUpdateBodySchema>,
  ) {
    return this.users.update(admin, id, body);
  }

  @Get('decisions')
  async listDecisions(
    @CurrentUser() user: ConsoleUser,
    @Query(new ZodPipe(decisionsQuery, 'QUERY_INVALID')) q: z.infer<typeof decisionsQuery>,
  ) {
    const tenants = tenantsFor(user, 'read_audit').filter((t) => !q.tenant || t === q.tenant);
    return {
      items: await this.decisions.listForTenants(tenants, {
        verdict: q.verdict,
        before: q.before ? new Date(q.before) : undefined,
        limit: q.limit,
      }),
    };
  }

  @Get('audit')
  async listAudit(
    @CurrentUser() user: ConsoleUser,
    @Query(new ZodPipe(auditQuery, 'QUERY_INVALID')) q: z.infer<typeof auditQuery>,
  ) {
    return { entries: await this.audit.forTenants(tenantsFor(user, 'read_audit'), q) };
  }

  @Get('policies/:id/v:version')
  policy(@Param('id') id: string, @Param('version') version: string) {
    return this.policies.text(id, Number(version));
  }
}
