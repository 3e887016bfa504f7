import 'reflect-metadata';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoNestLogger, createLogger, loadPipelineEnv } from '@clipguard/config';
import { prepareInfrastructure } from '@clipguard/storage';
import { MetricsService } from './common/metrics.service';
import { serveConsole } from './console/serve-console';
import { IngestModule } from './ingest.module';

async function bootstrap(): Promise<void> {
  const env = loadPipelineEnv();
  const logger = createLogger('ingest-api', env.LOG_LEVEL);
  await prepareInfrastructure(env, logger);
  const app = await NestFactory.create<NestFastifyApplication>(
    IngestModule.forRoot(env, logger),
    new FastifyAdapter({ bodyLimit: env.CLIPGUARD_MAX_BODY_BYTES, trustProxy: env.CLIPGUARD_TRUST_PROXY }),
    { rawBody: true, logger: new PinoNestLogger(logger) },
  );
  await app.register(multipart, { limits: { fileSize: env.CLIPGUARD_MAX_IMAGE_BYTES, files: 1 } });
  await app.register(cookie);
  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance();
  if (!(await serveConsole(fastify, env.CLIPGUARD_CONSOLE_DIR)))
    logger.warn(
      { dir: env.CLIPGUARD_CONSOLE_DIR },
      'no review console build found: /console is not served (npm run build)',
    );
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
    done();
  });
  app.enableShutdownHooks();
  await app.listen(env.PORT, env.HOST);
  logger.info({ port: env.PORT }, 'ingest-api listening');
}

bootstrap().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
