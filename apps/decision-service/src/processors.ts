import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { QUEUES, callbackJobSchema, decideJobSchema } from '@clipguard/contracts';
import { CallbackService } from './callback.service';
import { DecisionService } from './decision.service';

@Processor(QUEUES.decide)
export class DecideProcessor extends WorkerHost {
  constructor(private readonly service: DecisionService) {
    super();
  }

  async process(job: Job): Promise<void> {
    const parsed = decideJobSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`decide job ${job.id} has an invalid payload: ${parsed.error.message}`);
    await this.service.decide(parsed.data, String(job.id));
  }
}

@Processor(QUEUES.callback)
export class CallbackProcessor extends WorkerHost {
  constructor(private readonly service: CallbackService) {
    super();
  }

  async process(job: Job): Promise<void> {
    const parsed = callbackJobSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`callback job ${job.id} has an invalid payload: ${parsed.error.message}`);
    await this.service.deliver(parsed.data.deliveryId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  }
}
