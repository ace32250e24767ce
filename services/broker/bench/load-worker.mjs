// One load-generator process of the broker benchmark. Role "pub": `publishers` clients publish
// 100-byte messages (send time in the first 8 bytes) as fast as the broker takes them for
// `seconds`. Role "sub": one client subscribes to `bench/#` and reports arrivals and latencies.
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';

const o = JSON.parse(process.argv[2]);
const now = () => performance.timeOrigin + performance.now();
const connect = (clientId) =>
  mqtt.connectAsync(o.url, {
    clientId,
    username: o.username,
    password: o.password,
    reconnectPeriod: 0,
    protocolVersion: 4,
  });

if (o.role === 'sub') {
  const client = await connect(`${o.username}-sub`);
  const latencies = [];
  let received = 0;
  let first = 0;
  let last = 0;
  client.on('message', (_topic, payload) => {
    const t = now();
    if (received === 0) first = t;
    last = t;
    received++;
    if (received % 10 === 0) latencies.push(t - payload.readDoubleLE(0));
  });
  await client.subscribeAsync('bench/#', { qos: o.qos });
  process.send({ ready: true });
  process.on('message', async (m) => {
    if (m !== 'report') return;
    process.send({ received, seconds: (last - first) / 1000, latencies }, () => {
      client.end(true);
      process.exit(0);
    });
  });
} else {
  const clients = await Promise.all(
    Array.from({ length: o.publishers }, (_, i) => connect(`${o.username}-p${o.worker}-${i}`)),
  );
  process.send({ ready: true });
  await new Promise((resolve) => process.once('message', resolve));
  const end = Date.now() + o.seconds * 1000;
  let sent = 0;
  await Promise.all(
    clients.map(async (client, i) => {
      const topic = `bench/${o.worker}/${i}`;
      let inflight = 0;
      while (Date.now() < end) {
        if (o.qos === 1 && inflight >= o.window) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        const payload = Buffer.alloc(100, 0x61);
        payload.writeDoubleLE(now(), 0);
        if (o.qos === 1) {
          inflight++;
          client.publish(topic, payload, { qos: 1 }, () => inflight--);
        } else client.publish(topic, payload, { qos: 0 });
        sent++;
        if (sent % 50 === 0) {
          if (client.stream.writableLength > 64 * 1024) {
            await new Promise((resolve) => {
              const timer = setTimeout(resolve, 50);
              client.stream.once('drain', () => {
                clearTimeout(timer);
                resolve();
              });
            });
          } else await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }),
  );
  process.send({ sent }, () => {
    for (const c of clients) c.end(true);
    process.exit(0);
  });
}
