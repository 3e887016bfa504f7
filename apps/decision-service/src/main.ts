import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, createLogger, loadPipelineEnv } from '@clipguard/config';
import { warnUnlessNoEviction } from '@clipguard/queue';
import { createDatabase, migrateToLatest } from '@clipguard/storage';
import { DecisionModule } from './decision.module';

async function bootstrap(): Promise<void> {
  const env = loadPipelineEnv();
  const logger = createLogger('decision-service', env.LOG_LEVEL);
  await warnUnlessNoEviction(env.REDIS_URL, logger);
  const db = createDatabase(env.DATABASE_URL, 1);
  await migrateToLatest(db).finally(() => db.destroy());
  const app = await NestFactory.createApplicationContext(DecisionModule.forRoot(env, logger), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  logger.info('decision-service ready');
}

bootstrap().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
