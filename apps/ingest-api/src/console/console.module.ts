import { Module } from '@nestjs/common';
import { BanksModule } from '../banks/banks.module';
import { ConsoleBankController } from './console-bank.controller';
import { ConsoleBankService } from './console-bank.service';
import { ConsoleAdminController } from './admin.controller';
import { ConsoleAuthController } from './auth.controller';
import { ConsoleGuard } from './console.guard';
import { ConsoleItemController } from './item.controller';
import { ItemService } from './item.service';
import { LoginLimiter } from './login-limiter';
import { PolicyTextsService } from './policy-texts.service';
import { ConsoleQueueController } from './queue.controller';
import { QueueService } from './queue.service';
import { SessionService } from './session.service';
import { StatsService } from './stats.service';
import { UsersService } from './users.service';

/** The review console's JSON API (docs/console-api.md); the SPA itself is served from main.ts. */
@Module({
  imports: [BanksModule],
  controllers: [
    ConsoleAuthController,
    ConsoleQueueController,
    ConsoleItemController,
    ConsoleAdminController,
    ConsoleBankController,
  ],
  providers: [
    ConsoleBankService,
    ConsoleGuard,
    LoginLimiter,
    SessionService,
    PolicyTextsService,
    QueueService,
    ItemService,
    StatsService,
    UsersService,
  ],
  exports: [SessionService],
})
export class ConsoleModule {}
