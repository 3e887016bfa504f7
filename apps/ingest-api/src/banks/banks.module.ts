import { Module } from '@nestjs/common';
import { ApiKeyGuard } from '../common/api-key.guard';
import { BankController } from './bank.controller';
import { BankService } from './bank.service';

/** The banks API by tenant key; BankService also serves the console's "block and add to bank". */
@Module({
  controllers: [BankController],
  providers: [BankService, ApiKeyGuard],
  exports: [BankService],
})
export class BanksModule {}
