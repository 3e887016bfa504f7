import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

// The console's own code only; images come from its API (same origin). No framing, no inline scripts.
const CSP =
  "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Serves the review console's build under /console: its files as they are, and index.html for every other
 * path below it (the SPA routes on the client). Returns false when there is no build to serve.
 */
export async function serveConsole(fastify: FastifyInstance, dir: string): Promise<boolean> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) return false;
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/console/',
    wildcard: false,
    decorateReply: true,
    index: false,
  });
  const page = (file: string) => async (_req: unknown, reply: import('fastify').FastifyReply) =>
    reply
      .header('content-security-policy', CSP)
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', file === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable')
      .sendFile(file);
  fastify.get('/console', (_req, reply) => reply.redirect('/console/'));
  fastify.get('/console/', page('index.html'));
  fastify.get<{ Params: { '*': string } }>('/console/*', async (req, reply) => {
    const path = req.params['*'];
    const asset = path.startsWith('assets/') && existsSync(join(root, path)) && !path.includes('..');
    return page(asset ? path : 'index.html')(req, reply);
  });
  return true;
}
