import { createHash } from 'node:crypto';
import { parseMessage } from '@mekong/contracts';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/core/simulation.js';
import { toJsonLine } from '../../src/output/jsonl.js';
import { loadScenario } from '../../src/scenario/builtin-scenarios.js';
import { collectingSink } from '../../src/truth/truth-sink.js';

async function record(seed: string, durationMs = 6 * 3_600_000) {
  const scenario = await loadScenario('demo');
  const sink = collectingSink();
  const simulation = createSimulation(scenario, { seed, durationMs, truth: sink });
  const hash = createHash('sha256');
  const messages = [];
  for (const message of simulation.messages()) {
    hash.update(toJsonLine(message));
    messages.push(message);
  }
  return { digest: hash.digest('hex'), messages, sink, simulation };
}

describe('determinism', () => {
  it('two runs with the same seed are byte-identical, ground truth included', async () => {
    const first = await record('42');
    const second = await record('42');
    expect(first.messages.length).toBeGreaterThan(10_000);
    expect(second.digest).toBe(first.digest);
    expect(JSON.stringify(second.sink.rows)).toBe(JSON.stringify(first.sink.rows));
  });

  it('a different seed gives a different stream', async () => {
    const first = await record('42');
    const other = await record('43');
    expect(other.digest).not.toBe(first.digest);
  });
});

describe('the stream of the demo scenario', async () => {
  const { messages, simulation } = await record('7', 86_400_000);

  it('every message passes the contracts', { timeout: 60_000 }, () => {
    const failures = messages.filter(
      (m) => !parseMessage(m.topic, Buffer.from(JSON.stringify(m.payload))).ok,
    );
    expect(failures).toEqual([]);
  });

  it('uses every kind of the wire contract', () => {
    const kinds = new Set(messages.map((m) => m.topic.slice(m.topic.lastIndexOf('/') + 1)));
    expect([...kinds].sort()).toEqual(['alarm', 'count', 'labour', 'sensor', 'state']);
  });

  it('comes in time order, and each publisher numbers its messages 0, 1, 2, …', () => {
    const nextSeq = new Map<number, number>();
    let last = 0;
    let backwards = 0;
    let gaps = 0;
    for (const message of messages) {
      if (message.sendAtMs < last) backwards += 1;
      last = message.sendAtMs;
      const seq = (message.payload as { seq: number }).seq;
      if (seq !== (nextSeq.get(message.device) ?? 0)) gaps += 1;
      nextSeq.set(message.device, seq + 1);
    }
    expect({ backwards, gaps }).toEqual({ backwards: 0, gaps: 0 });
    // 20 cells and 3 line terminals all published.
    expect(nextSeq.size).toBe(23);
    expect(simulation.deviceCount).toBe(23);
  });

  it('writes ts as RFC 3339 with the site offset, equal to the event time', () => {
    for (const message of messages.slice(0, 1000)) {
      const ts = (message.payload as { ts: string }).ts;
      expect(ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+07:00$/);
      expect(Date.parse(ts)).toBe(message.tsMs);
    }
  });

  it('publishes only under the device own cell or line', () => {
    const publishers = new Set(messages.map((m) => m.topic.split('/').slice(0, 7).join('/')));
    expect(publishers.size).toBe(23);
    for (const publisher of publishers)
      expect(publisher).toMatch(
        /^mekong\/v1\/mekong-electronics\/binh-duong\/[a-z-]+\/[a-z0-9-]+\/[a-z0-9_-]+$/,
      );
    const perDevice = new Map<number, string>();
    for (const m of messages) {
      const publisher = m.topic.split('/').slice(0, 7).join('/');
      if ((perDevice.get(m.device) ?? publisher) !== publisher)
        throw new Error(`device ${m.device} published as two cells`);
      perDevice.set(m.device, publisher);
    }
  });
});

describe('the other built-in scenarios', () => {
  it('garment: a day of valid messages from every kind of cell', { timeout: 60_000 }, async () => {
    const simulation = createSimulation(await loadScenario('garment'), {
      seed: '1',
      truth: collectingSink(),
    });
    let count = 0;
    let invalid = 0;
    for (const m of simulation.messages()) {
      count += 1;
      if (!parseMessage(m.topic, Buffer.from(JSON.stringify(m.payload))).ok) invalid += 1;
    }
    expect(count).toBeGreaterThan(10_000);
    expect(invalid).toBe(0);
  });

  it('large: an hour of 2,200 publishers, every 20th message checked', { timeout: 60_000 }, async () => {
    const simulation = createSimulation(await loadScenario('large'), {
      seed: '1',
      startMs: Date.parse('2026-03-02T05:30:00+07:00'),
      durationMs: 3_600_000,
      truth: collectingSink(),
    });
    let count = 0;
    let invalid = 0;
    const publishers = new Set<number>();
    for (const m of simulation.messages()) {
      publishers.add(m.device);
      if (count++ % 20 === 0 && !parseMessage(m.topic, Buffer.from(JSON.stringify(m.payload))).ok)
        invalid += 1;
    }
    expect(publishers.size).toBe(2200);
    expect(invalid).toBe(0);
  });
});
