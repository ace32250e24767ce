import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { PASSWORD, startTestBroker } from './helpers/broker-fixture.js';

const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

describe('broker shutdown', () => {
  it.each(['memory', 'durable'] as const)(
    'ends within the drain time while clients are still connected over TCP and WebSocket (%s)',
    async (mode) => {
      const running = await startTestBroker((config) => {
        config.persistence = { mode, dataDir: `${config.auth.credentialsFile}.data`, concurrency: 100 };
      });
      const { tcp, ws } = running.broker.ports;
      const options = { username: 'admin', password: PASSWORD, reconnectPeriod: 0 };
      const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcp}`, {
        ...options,
        clientId: 'admin-shutdown-sub',
        clean: false,
      });
      await subscriber.subscribeAsync('shutdown/#', { qos: 1 });
      const browser = await mqtt.connectAsync(`ws://127.0.0.1:${ws}`, {
        ...options,
        clientId: 'admin-shutdown-ws',
      });
      await browser.publishAsync('shutdown/a', 'before', { qos: 1 });
      const bothClosed = Promise.all([closed(subscriber), closed(browser)]);

      const started = Date.now();
      await running.stop();
      // drainTimeoutMs is 1 s in the fixture; a listener waiting for its connections would hang here.
      expect(Date.now() - started).toBeLessThan(running.config.drainTimeoutMs + 3_000);
      await bothClosed;
      expect(subscriber.connected).toBe(false);
      expect(browser.connected).toBe(false);
    },
    20_000,
  );
});
