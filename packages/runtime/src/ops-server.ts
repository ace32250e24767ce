import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { HealthReport } from './health.js';

// node:http rather than fastify: two read-only routes with no input to validate, and every service
// (the broker included) gets them without pulling a framework into its process.

export interface OpsServerSettings {
  /** 0 picks a free port. */
  port: number;
  /** `::` by default: with dual-stack sockets one listener serves IPv6 and IPv4 (as ::ffff:a.b.c.d). */
  host?: string;
  health: () => Promise<HealthReport> | HealthReport;
  registry: Registry;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** Serves `GET /health` (JSON; 503 when down) and `GET /metrics` (Prometheus text format). */
export async function startOpsServer(settings: OpsServerSettings): Promise<OpsServer> {
  const server = createServer((request, response) => {
    handle(settings, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'MEKONG_INTERNAL', message: String(error) }));
    });
  });
  await listen(server, settings.port, settings.host ?? '::');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(settings: OpsServerSettings, request: IncomingMessage, response: ServerResponse) {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { 'content-type': 'application/json', allow: 'GET, HEAD' });
    response.end(JSON.stringify({ code: 'MEKONG_METHOD_NOT_ALLOWED', message: 'only GET is served here' }));
    return;
  }
  if (path === '/health') {
    const report = await settings.health();
    response.writeHead(report.status === 'down' ? 503 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(report));
    return;
  }
  if (path === '/metrics') {
    const body = await settings.registry.metrics();
    response.writeHead(200, { 'content-type': settings.registry.contentType });
    response.end(body);
    return;
  }
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({ code: 'MEKONG_NOT_FOUND', message: `no route ${path}; try /health or /metrics` }),
  );
}

/** Listens on `host`; on `::` also accepts IPv4 unless the kernel has no IPv6, then falls back to 0.0.0.0. */
export async function listen(
  server: Server | import('node:net').Server,
  port: number,
  host: string,
): Promise<void> {
  try {
    await listenOnce(server, port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (host !== '::' || (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL')) throw error;
    await listenOnce(server, port, '0.0.0.0');
  }
}

function listenOnce(server: import('node:net').Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, ipv6Only: false });
  });
}
