import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, createLogger, loadPipelineEnv } from '@clipguard/config';
import { prepareInfrastructure } from '@clipguard/storage';
import { DecisionModule } from './decision.module';

async function bootstrap(): Promise<void> {
  const env = loadPipelineEnv();
  const logger = createLogger('decision-service', env.LOG_LEVEL);
  await prepareInfrastructure(env, logger);
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
