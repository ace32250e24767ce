// A load generator in its own process, so the broker under test gets the CPU it would have in production.
// Argument: JSON { url, publishers, seconds, qos, username, password, clientPrefix, topic, subscribe, abrupt }.
// Reports { sent, received } on IPC, then exits.
import mqtt from 'mqtt';

const options = JSON.parse(process.argv[2] ?? '{}');
const payload = Buffer.alloc(options.payloadBytes ?? 100, 0x61);
const connect = (clientId) =>
  mqtt.connectAsync(options.url, {
    clientId,
    username: options.username,
    password: options.password,
    reconnectPeriod: 0,
    protocolVersion: 4,
  });

let received = 0;
let subscriber;
if (options.subscribe) {
  subscriber = await connect(`${options.clientPrefix}-sub`);
  subscriber.on('message', () => received++);
  await subscriber.subscribeAsync(`${options.topic}/#`, { qos: 0 });
}
const publishers = await Promise.all(
  Array.from({ length: options.publishers }, (_, i) => connect(`${options.clientPrefix}-pub-${i}`)),
);
process.send?.({ ready: true });
const end = Date.now() + options.seconds * 1000;
let sent = 0;
await Promise.all(
  publishers.map(async (client, i) => {
    while (Date.now() < end) {
      for (let k = 0; k < 50; k++) {
        client.publish(`${options.topic}/${i}`, payload, { qos: options.qos });
        sent++;
      }
      // Let the socket drain what was written, like a device that sends as fast as its link allows.
      if (client.stream.writableLength > 256 * 1024) {
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 20);
          client.stream.once('drain', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      } else await new Promise((resolve) => setImmediate(resolve));
    }
  }),
);
for (const client of [...publishers, ...(subscriber ? [subscriber] : [])]) {
  if (options.abrupt) client.stream.destroy();
  else client.end(true);
}
process.send?.({ sent, received }, () => process.exit(0));
