import { Controller, Get, UseGuards } from '@nestjs/common';
import { ConsoleGuard } from './console.guard';
import { CurrentUser, type ConsoleUser } from './console-request';
import { ConsoleBankService } from './console-bank.service';

@Controller('v1/console/banks')
@UseGuards(ConsoleGuard)
export class ConsoleBankController {
  constructor(private readonly banks: ConsoleBankService) {}

  /** The banks a lead may add a blocked item to. */
  @Get()
  async list(@CurrentUser() user: ConsoleUser) {
    return { banks: await this.banks.list(user) };
  }
}
