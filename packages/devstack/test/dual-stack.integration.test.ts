import { connect } from 'node:net';
import { describe, expect, inject, it } from 'vitest';

const endpoints = inject('devstack');

function portOf(hostPort: string): number {
  return Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
}

/** Resolves with true when a TCP connection to host:port is accepted, false when refused. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('the devstack on IPv4 and IPv6', () => {
  it.each(['127.0.0.1', '::1'])('Kafka accepts connections on %s', async (host) => {
    expect(await accepts(host, portOf(endpoints.kafka.brokers[0] ?? ''))).toBe(true);
  });

  it.each(['127.0.0.1', '[::1]'])('InfluxDB answers /health on %s', async (host) => {
    const response = await fetch(`http://${host}:${new URL(endpoints.influxdb.url).port}/health`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe('pass');
  });
});
