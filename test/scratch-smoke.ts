import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBrokerConfig, passwd, startBroker } from '@mekong/broker';
import { createLogger } from '@mekong/runtime';
import { defaultMqttKafkaConfig, startMqttKafkaBridge } from '../services/mqtt-kafka-bridge/src/index.js';

const dir = await mkdtemp(join(tmpdir(), 'smoke-'));
const cred = join(dir, 'c.json');
await passwd(cred, { username: 'bridge', password: 'pw-pw-pw-pw', role: 'service' });
await passwd(cred, { username: 'admin', password: 'pw-pw-pw-pw', role: 'admin' });
const bc = defaultBrokerConfig();
bc.ports = { tcp: 0, ws: null, tls: 0, http: 0 };
bc.auth.credentialsFile = cred;
const broker = await startBroker(bc, { logger: createLogger({ service: 'broker', level: 'warn' }) });
const cfg = defaultMqttKafkaConfig();
cfg.mqtt.url = `mqtt://127.0.0.1:${broker.ports.tcp}`;
cfg.mqtt.username = 'bridge';
cfg.mqtt.password = 'pw-pw-pw-pw';
cfg.mqtt.clientId = 'bridge-1';
cfg.kafka.brokers = ['localhost:9092'];
cfg.http.port = 0;
const bridge = await startMqttKafkaBridge(cfg);
const ent = `smoke${Date.now()}`;
const lines =
  Array.from({ length: 100 }, (_, i) =>
    JSON.stringify({ ts: Date.now(), seq: i, good: 1, scrap: 0, product: 'p' }),
  ).join('\n') + '\nnot json\n';
execFileSync(
  'mosquitto_pub',
  [
    '-h',
    '127.0.0.1',
    '-p',
    String(broker.ports.tcp),
    '-u',
    'admin',
    '-P',
    'pw-pw-pw-pw',
    '-q',
    '1',
    '-t',
    `mekong/v1/${ent}/s/a/l/c1/count`,
    '-l',
  ],
  { input: lines },
);
await new Promise((r) => setTimeout(r, 1000));
console.log(await await bridge.health());
const out = execFileSync('kcat', [
  '-b',
  'localhost:9092',
  '-C',
  '-t',
  'mekong.count.v1',
  '-o',
  'beginning',
  '-e',
  '-q',
  '-f',
  '%k %s\n',
]).toString();
console.log('count records for ent:', out.split('\n').filter((l) => l.startsWith(ent)).length);
const dlq = execFileSync('kcat', [
  '-b',
  'localhost:9092',
  '-C',
  '-t',
  'mekong.dlq.v1',
  '-o',
  'beginning',
  '-e',
  '-q',
  '-f',
  '%k %h %s\n',
]).toString();
console.log(dlq.split('\n').filter((l) => l.startsWith(ent)));
const m = await (await fetch(`http://127.0.0.1:${bridge.ports.http}/metrics`)).text();
console.log(
  m
    .split('\n')
    .filter((l) => l.startsWith('mekong_mqtt_kafka') && !l.includes('bucket'))
    .join('\n'),
);
await bridge.close();
await broker.close();
