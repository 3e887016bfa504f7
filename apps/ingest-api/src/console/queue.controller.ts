import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  nextItemBodySchema,
  queueFilterSchema,
  queueKindSchema,
  type NextItemBody,
  type QueueFilter,
  type QueueKind,
} from '@clipguard/contracts';
import { ZodPipe } from '../common/zod.pipe';
import { ConsoleGuard } from './console.guard';
import { CurrentUser, type ConsoleUser } from './console-request';
import { QueueService } from './queue.service';
import { StatsService } from './stats.service';

const queuePipe = new ZodPipe(queueKindSchema, 'NOT_FOUND');

@Controller('v1/console')
@UseGuards(ConsoleGuard)
export class ConsoleQueueController {
  constructor(
    private readonly queues: QueueService,
    private readonly stats: StatsService,
  ) {}

  @Get('queues')
  async summaries(@CurrentUser() user: ConsoleUser) {
    return { queues: await this.queues.summaries(user) };
  }

  @Get('queues/:queue/items')
  list(
    @CurrentUser() user: ConsoleUser,
    @Param('queue', queuePipe) queue: QueueKind,
    @Query(new ZodPipe(queueFilterSchema, 'QUERY_INVALID')) filter: QueueFilter,
  ) {
    return this.queues.list(user, queue, filter);
  }

  @Post('queues/:queue/next')
  @HttpCode(200)
  next(
    @CurrentUser() user: ConsoleUser,
    @Param('queue', queuePipe) queue: QueueKind,
    @Body(new ZodPipe(nextItemBodySchema)) body: NextItemBody,
  ) {
    return this.queues.next(user, queue, body);
  }

  @Get('stats')
  statistics(@CurrentUser() user: ConsoleUser) {
    return this.stats.forLead(user);
  }
}
