// One load-generator process of the bridge benchmark (forked by bridge.bench.ts). `devices` MQTT
// clients, one cell each, publish valid count messages (ts = send time made unique per cell, seq) with
// QoS 1, each with at most `window` unacknowledged, at `rate` messages/s for the whole process
// (0 = as fast as the broker takes them), until `count` messages per device were sent.
import mqtt, { type MqttClient } from 'mqtt';

interface Options {
  url: string;
  username: string;
  password: string;
  enterprise: string;
  worker: number;
  devices: number;
  count: number;
  rate: number;
  window: number;
}

const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const send = (message: unknown) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));

const clients: MqttClient[] = await Promise.all(
  Array.from({ length: o.devices }, (_, i) =>
    mqtt.connectAsync(o.url, {
      clientId: `${o.username}-w${o.worker}-${i}-${Date.now()}`,
      username: o.username,
      password: o.password,
      reconnectPeriod: 0,
      protocolVersion: 4,
    }),
  ),
);
await send({ ready: true });
await new Promise((resolve) => process.once('message', resolve));

const started = Date.now();
const perDeviceRate = o.rate / o.devices;
let acked = 0;
await Promise.all(
  clients.map(async (client, i) => {
    const topic = `mekong/v1/${o.enterprise}/bench/area/line-${o.worker}/cell-${i}/count`;
    let inflight = 0;
    let lastTs = 0;
    for (let seq = 0; seq < o.count; seq++) {
      if (perDeviceRate > 0) {
        const due = started + (seq * 1000) / perDeviceRate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      while (inflight >= o.window) await new Promise((resolve) => setTimeout(resolve, 1));
      inflight++;
      // The send time, but never the same millisecond twice for one cell: each message is its own point.
      lastTs = Math.max(Date.now(), lastTs + 1);
      const payload = `{"ts":${lastTs},"seq":${seq},"good":1,"scrap":0,"product":"bench"}`;
      client.publish(topic, payload, { qos: 1 }, () => {
        inflight--;
        acked++;
      });
      if (seq % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    while (inflight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }),
);
await send({ acked, seconds: (Date.now() - started) / 1000 });
for (const client of clients) client.end(true);
process.exit(0);
