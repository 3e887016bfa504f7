import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, createLogger, loadPipelineEnv } from '@clipguard/config';
import { prepareInfrastructure } from '@clipguard/storage';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const env = loadPipelineEnv();
  const logger = createLogger('clip-worker', env.LOG_LEVEL);
  await prepareInfrastructure(env, logger);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env, logger), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  logger.info(
    { concurrency: env.CLIPGUARD_WORKER_CONCURRENCY, model: env.CLIPGUARD_MODEL_DIR },
    'clip-worker ready',
  );
}

bootstrap().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
