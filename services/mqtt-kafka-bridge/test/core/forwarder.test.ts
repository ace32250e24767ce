import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { Forwarder, type ForwarderSettings } from '../../src/core/forwarder.js';
import type { KafkaRecord } from '../../src/core/to-kafka-record.js';

const record = (n: number, bytes = 10): KafkaRecord => ({
  topic: 'mekong.count.v1',
  key: `line-${n % 2}`,
  value: Buffer.alloc(bytes, n),
  headers: {},
});

const settings: ForwarderSettings = {
  maxBatchRecords: 3,
  maxBatchBytes: 1_000_000,
  lingerMs: 10,
  maxInflightMessages: 8,
  maxInflightBytes: 1_000_000,
  retry: { initialMs: 5, maxMs: 20 },
};

/** A Kafka stand-in: each send waits until the test settles it. */
class FakeKafka {
  readonly calls: Array<{ records: KafkaRecord[]; settle: (error?: Error) => void }> = [];
  readonly send = (records: KafkaRecord[]) =>
    new Promise<void>((resolve, reject) => {
      this.calls.push({ records, settle: (error) => (error ? reject(error) : resolve()) });
    });
  sent = (index: number) => this.calls[index]?.records.map((r) => r.value[0]);
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(2);
  expect(check()).toBe(true);
}

/** Runs `body` on fake timers and a fake `Date`; the forwarder reads that clock. */
async function onFakeTime(
  body: (clock: { now(): number; random(): number }) => Promise<void>,
): Promise<void> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    await body({ now: () => Date.now(), random: () => 0.5 });
  } finally {
    vi.useRealTimers();
  }
}

describe('Forwarder', () => {
  it('acks a record only after Kafka acknowledged its batch, in arrival order', async () => {
    const kafka = new FakeKafka();
    const forwarder = new Forwarder(kafka.send, settings);
    const acked: number[] = [];
    for (let n = 0; n < 3; n++) forwarder.submit(record(n), () => acked.push(n));
    await until(() => kafka.calls.length === 1);
    expect(kafka.sent(0)).toEqual([0, 1, 2]);
    expect(acked).toEqual([]);
    kafka.calls[0]?.settle();
    await until(() => acked.length === 3);
    expect(acked).toEqual([0, 1, 2]);
    expect(forwarder.status().inflightMessages).toBe(0);
  });

  it('sends a partial batch once the oldest record has waited linger ms', () =>
    onFakeTime(async (clock) => {
      const kafka = new FakeKafka();
      const forwarder = new Forwarder(kafka.send, { ...settings, lingerMs: 30 }, {}, clock);
      forwarder.submit(record(1), () => {});
      await vi.advanceTimersByTimeAsync(29);
      expect(kafka.calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(kafka.calls).toHaveLength(1);
      expect(kafka.sent(0)).toEqual([1]);
    }));

  it('splits by bytes as well as by count, and always sends at least one record', async () => {
    const kafka = new FakeKafka();
    const forwarder = new Forwarder(kafka.send, { ...settings, maxBatchBytes: 100, lingerMs: 0 });
    forwarder.submit(record(1, 200), () => {});
    forwarder.submit(record(2, 10), () => {});
    await until(() => kafka.calls.length === 1);
    expect(kafka.sent(0)).toEqual([1]);
    kafka.calls[0]?.settle();
    await until(() => kafka.calls.length === 2);
    expect(kafka.sent(1)).toEqual([2]);
  });

  it('retries a failed batch first and whole, so later records never overtake it', async () => {
    const kafka = new FakeKafka();
    const failures: number[] = [];
    const recovered: number[] = [];
    const forwarder = new Forwarder(kafka.send, settings, {
      onSendFailed: ({ attempt }) => failures.push(attempt),
      onRecovered: ({ attempts }) => recovered.push(attempts),
    });
    const acked: number[] = [];
    for (let n = 0; n < 5; n++) forwarder.submit(record(n), () => acked.push(n));
    await until(() => kafka.calls.length === 1);
    kafka.calls[0]?.settle(new Error('broker down'));
    await until(() => kafka.calls.length === 2);
    expect(forwarder.status()).toMatchObject({ state: 'retrying', attempts: 1, lastError: 'broker down' });
    kafka.calls[1]?.settle(new Error('broker down'));
    await until(() => kafka.calls.length === 3);
    expect(kafka.sent(1)).toEqual([0, 1, 2]);
    expect(kafka.sent(2)).toEqual([0, 1, 2]);
    expect(acked).toEqual([]);
    kafka.calls[2]?.settle();
    await until(() => kafka.calls.length === 4);
    expect(kafka.sent(3)).toEqual([3, 4]);
    kafka.calls[3]?.settle();
    await until(() => acked.length === 5);
    expect(acked).toEqual([0, 1, 2, 3, 4]);
    expect(failures).toEqual([1, 2]);
    expect(recovered).toEqual([2]);
    expect(forwarder.status().state).toBe('ok');
  });

  it('asks the source to stop reading at the in-flight limit and to read again below three quarters', async () => {
    const kafka = new FakeKafka();
    const pressure: boolean[] = [];
    const forwarder = new Forwarder(
      kafka.send,
      { ...settings, maxBatchRecords: 2 },
      { onPressure: (full) => pressure.push(full) },
    );
    for (let n = 0; n < 8; n++) forwarder.submit(record(n), () => {});
    expect(pressure).toEqual([true]);
    expect(forwarder.status().full).toBe(true);
    await until(() => kafka.calls.length === 1);
    kafka.calls[0]?.settle();
    await until(() => kafka.calls.length === 2);
    expect(pressure).toEqual([true, false]);
  });

  it('on close, never acks what Kafka did not acknowledge (the broker delivers it again)', () =>
    onFakeTime(async (clock) => {
      const kafka = new FakeKafka();
      const forwarder = new Forwarder(kafka.send, settings, {}, clock);
      const acked: number[] = [];
      forwarder.submit(record(1), () => acked.push(1));
      await vi.advanceTimersByTimeAsync(settings.lingerMs);
      expect(kafka.calls).toHaveLength(1);
      kafka.calls[0]?.settle(new Error('down'));
      const drained = forwarder.drain(30);
      await vi.advanceTimersByTimeAsync(30);
      expect(await drained).toBe(false);
      forwarder.close();
      const callsAtClose = kafka.calls.length;
      for (const call of kafka.calls) call.settle(new Error('down'));
      // A second of retry time: a closed forwarder sends nothing more and acks nothing.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(kafka.calls).toHaveLength(callsAtClose);
      expect(acked).toEqual([]);
      expect(forwarder.submit(record(2), () => acked.push(2))).toBe(false);
    }));

  it('drains: sends at once what lingers and resolves when Kafka has it all', async () => {
    const kafka = new FakeKafka();
    const forwarder = new Forwarder(kafka.send, { ...settings, lingerMs: 60_000 });
    const acked: number[] = [];
    forwarder.submit(record(1), () => acked.push(1));
    const drained = forwarder.drain(5_000);
    await until(() => kafka.calls.length === 1);
    kafka.calls[0]?.settle();
    expect(await drained).toBe(true);
    expect(acked).toEqual([1]);
  });
});
