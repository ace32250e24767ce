import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../src/health.js';
import { Counter, createMetricsRegistry } from '../src/metrics.js';
import { type OpsServer, startOpsServer } from '../src/ops-server.js';

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(report: HealthReport) {
  const registry = createMetricsRegistry({ processMetrics: false });
  const counter = new Counter({ name: 'mekong_test_total', help: 'a test counter', registers: [registry] });
  counter.inc(3);
  server = await startOpsServer({ port: 0, health: () => report, registry });
  return server.port;
}

describe('ops server', () => {
  it('serves /health and /metrics on IPv4 and IPv6 loopback', async () => {
    const port = await start({ status: 'ok', components: { mqtt: { status: 'ok' } } });
    for (const host of ['127.0.0.1', '[::1]']) {
      const health = await fetch(`http://${host}:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', components: { mqtt: { status: 'ok' } } });
      const metrics = await fetch(`http://${host}:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('mekong_test_total 3');
    }
  });

  it('answers 503 when down and 404 on unknown paths', async () => {
    const port = await start({
      status: 'down',
      components: { redis: { status: 'down', detail: 'refused' } },
    });
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as HealthReport).components.redis?.detail).toBe('refused');
    const missing = await fetch(`http://127.0.0.1:${port}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('MEKONG_NOT_FOUND');
  });
});
