import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** /metrics and /health/live for processes without an HTTP API of their own (workers). */
export function startMetricsServer(registry: Registry, port: number, host = '0.0.0.0'): Server {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
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
  server.listen(port, host);
  return server;
}
