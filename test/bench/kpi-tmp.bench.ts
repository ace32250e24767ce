import { parseMessage } from '../../packages/contracts/src/parse-message.js';
import { parseTopic } from '../../packages/contracts/src/topic.js';

const topics = Array.from(
  { length: 100 },
  (_, i) => `mekong/v1/acme/hcm/assembly/line-${i % 20}/press-${i}/count`,
);
const b = new TextEncoder().encode(
  '{"ts":"2026-03-02T06:15:00+07:00","seq":1042,"good":1,"scrap":0,"product":"bracket-a"}',
);
const d = new TextDecoder('utf-8', { fatal: true });
let s = 0;
const time = (label: string, f: (i: number) => number) => {
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    for (let i = 0; i < 1e6; i++) s += f(i);
    console.log(label, (((performance.now() - t) / 1e6) * 1e3).toFixed(3), 'µs');
  }
};
time('topic', (i) => (parseTopic(topics[i % 100]!).ok ? 1 : 0));
time('decode', () => d.decode(b).length);
time('decode+parse', () => JSON.parse(d.decode(b)).seq);
time('message', (i) => (parseMessage(topics[i % 100]!, b).ok ? 1 : 0));
console.log(s);
