import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { bankBodySchema, bankEntryBodySchema, type BankBody, type BankEntryBody } from '@clipguard/contracts';
import { ApiKeyGuard } from '../common/api-key.guard';
import { Tenant } from '../common/request-context';
import { ZodPipe } from '../common/zod.pipe';
import { BankService, entryInput } from './bank.service';

const apiActor = (tenant: string) => ({ userId: null, name: `api:${tenant}` });

/** Match banks of the key's tenant (docs/banks.md): its own to change, the operator's shared ones to read. */
@Controller('v1/banks')
@UseGuards(ApiKeyGuard)
export class BankController {
  constructor(private readonly banks: BankService) {}

  @Get()
  async list(@Tenant() tenant: string) {
    return { banks: await this.banks.list([tenant], tenant) };
  }

  @Post()
  @HttpCode(200)
  save(@Tenant() tenant: string, @Body(new ZodPipe(bankBodySchema)) body: BankBody) {
    return this.banks.save(tenant, body, apiActor(tenant));
  }

  @Get(':id')
  get(@Tenant() tenant: string, @Param('id') id: string) {
    return this.banks.get(tenant, id);
  }

  @Post(':id/entries')
  @HttpCode(201)
  async addEntry(
    @Tenant() tenant: string,
    @Param('id') id: string,
    @Body(new ZodPipe(bankEntryBodySchema)) body: BankEntryBody,
  ) {
    const bank = await this.banks.writable(tenant, id);
    return this.banks.addEntry(bank, {
      input: entryInput(body),
      source: 'api',
      actor: apiActor(tenant),
      note: body.note,
    });
  }

  @Delete(':id/entries/:entryId')
  @HttpCode(204)
  remove(@Tenant() tenant: string, @Param('id') id: string, @Param('entryId') entryId: string) {
    return this.banks.removeEntry(tenant, id, entryId, apiActor(tenant));
  }
}
