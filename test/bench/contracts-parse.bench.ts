// parseMessage benchmark: `pnpm exec tsx test/bench/contracts-parse.bench.ts [messagesPerRun=200000]`.
// Parses a fixed mix of valid messages as the MQTT→Kafka bridge sees them (mostly counts and states,
// some sensor readings, few alarms and labour events, `ts` as RFC 3339 and as epoch ms), then a set of
// invalid ones. Prints µs per message and messages per second: median of 7 runs, after a warm-up.
import { parseMessage } from '../../packages/contracts/src/index.js';

const runs = 7;
const messagesPerRun = Number(process.argv[2] ?? 200_000);
const encoder = new TextEncoder();
const cellTopic = (cell: number, kind: string): string =>
  `mekong/v1/acme/hcm/assembly/line-${cell % 20}/press-${cell}/${kind}`;
const lineTopic = (cell: number): string => `mekong/v1/acme/hcm/assembly/line-${cell % 20}/_line/labour`;
const rfc3339 = (second: number): string =>
  `2026-03-02T06:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}+07:00`;

interface Sample {
  topic: string;
  payload: Uint8Array;
}

function sample(topic: string, payload: unknown): Sample {
  return { topic, payload: encoder.encode(JSON.stringify(payload)) };
}

/** One "typical second" of the bridge's traffic: 100 messages. */
function validMix(): Sample[] {
  const samples: Sample[] = [];
  for (let cell = 0; cell < 100; cell++) {
    const ts = cell % 2 === 0 ? rfc3339(cell) : 1_772_406_900_000 + cell * 1000;
    if (cell < 60) {
      samples.push(
        sample(cellTopic(cell, 'count'), { ts, seq: 1000 + cell, good: 1, scrap: 0, product: 'bracket-a' }),
      );
    } else if (cell < 80) {
      samples.push(
        sample(cellTopic(cell, 'state'), {
          ts,
          seq: 1000 + cell,
          state: 'down',
          reason: 'tool_change',
          product: 'bracket-a',
        }),
      );
    } else if (cell < 95) {
      samples.push(
        sample(cellTopic(cell, 'sensor'), {
          ts,
          seq: 1000 + cell,
          readings: [
            { name: 'spindle_temp', value: 71.5, unit: 'Cel' },
            { name: 'power', value: 3.2, unit: 'kW' },
            { name: 'vibration', value: 2.25, unit: 'mm/s' },
          ],
        }),
      );
    } else if (cell < 98) {
      samples.push(
        sample(cellTopic(cell, 'alarm'), {
          ts,
          seq: 1000 + cell,
          code: 'E-101',
          severity: 'critical',
          active: true,
          text: 'Quá nhiệt trục chính',
        }),
      );
    } else {
      samples.push(
        sample(lineTopic(cell), { ts, seq: 1000 + cell, event: 'clock_in', worker: `badge-${cell}` }),
      );
    }
  }
  return samples;
}

function invalidMix(): Sample[] {
  const topic = cellTopic(1, 'count');
  return [
    sample(topic, { ts: rfc3339(1), seq: 1, good: -1, scrap: 0, product: 'bracket-a' }),
    sample(topic, { ts: '2026-03-02T06:15:00', seq: 1, good: 1, scrap: 0, product: 'bracket-a' }),
    sample(topic, { ts: rfc3339(1), seq: 1, good: 1, scrap: 0 }),
    sample(cellTopic(1, 'state'), { ts: rfc3339(1), seq: 1, state: 'dancing' }),
    { topic, payload: new Uint8Array([0x7b, 0xff, 0x7d]) },
    { topic, payload: encoder.encode('{"ts":') },
    sample(`${topic}x`, { ts: rfc3339(1), seq: 1, good: 1, scrap: 0, product: 'bracket-a' }),
  ];
}

/** Microseconds per message, median of the runs. */
function measure(samples: Sample[], messages: number): { microseconds: number; runs: number[] } {
  let sink = 0;
  const perRun: number[] = [];
  for (let run = -1; run < runs; run++) {
    const began = process.hrtime.bigint();
    for (let index = 0; index < messages; index++) {
      const { topic, payload } = samples[index % samples.length]!;
      if (parseMessage(topic, payload).ok) sink++;
    }
    const microseconds = Number(process.hrtime.bigint() - began) / 1000 / messages;
    if (run >= 0) perRun.push(microseconds); // run -1 is the warm-up
  }
  if (sink < 0) console.log(sink);
  const sorted = [...perRun].sort((a, b) => a - b);
  return { microseconds: sorted[Math.floor(sorted.length / 2)]!, runs: perRun };
}

function check(samples: Sample[], expectOk: boolean): void {
  for (const { topic, payload } of samples) {
    const result = parseMessage(topic, payload);
    if (result.ok !== expectOk) throw new Error(`unexpected result for ${topic}: ${JSON.stringify(result)}`);
  }
}

const valid = validMix();
const invalid = invalidMix();
check(valid, true);
check(invalid, false);

const report = (label: string, result: { microseconds: number; runs: number[] }): void => {
  const perSecond = Math.round(1e6 / result.microseconds).toLocaleString('en-US');
  console.log(
    `${label}: median ${result.microseconds.toFixed(2)} µs/message (${perSecond} msg/s); runs ${result.runs.map((value) => value.toFixed(2)).join(', ')}`,
  );
};
console.log(
  `parseMessage, ${messagesPerRun.toLocaleString('en-US')} messages per run, median of ${runs} runs`,
);
report('valid mix (60% count, 20% state, 15% sensor, 3% alarm, 2% labour)', measure(valid, messagesPerRun));
report('count only', measure(valid.slice(0, 60), messagesPerRun));
report('invalid mix', measure(invalid, Math.round(messagesPerRun / 4)));
