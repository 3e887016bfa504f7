import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { bearerToken, matchesSecret } from './secret-compare';

export interface MetricsServerOptions {
  port: number;
  host: string;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  token?: string;
}

/** /metrics and /health/live for processes without an HTTP API of their own (workers). */
export function startMetricsServer(registry: Registry, options: MetricsServerOptions): Server {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      const token = bearerToken(req.headers.authorization);
      if (options.token && !(token && matchesSecret(token, [options.token]))) {
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
        return;
      }
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (req.url === '/health/live') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(options.port, options.host);
  return server;
}
