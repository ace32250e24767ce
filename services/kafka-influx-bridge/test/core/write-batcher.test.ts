import { describe, expect, it, vi } from 'vitest';
import { WriteBatcher, type WriteBatcherSettings, WriteError } from '../../src/core/write-batcher.js';

const settings: WriteBatcherSettings = {
  maxPoints: 4,
  flushIntervalMs: 10,
  concurrency: 1,
  retry: { initialMs: 5, maxMs: 20 },
};

/** An InfluxDB stand-in: refuses lines containing "bad", fails while `down`. */
class FakeInflux {
  down = false;
  readonly requests: string[][] = [];
  readonly stored = new Set<string>();
  readonly write = async (lines: string[]) => {
    this.requests.push(lines);
    if (this.down) throw new WriteError({ kind: 'unavailable', reason: 'connection refused' });
    for (const line of lines) if (!line.includes('bad')) this.stored.add(line);
    if (lines.some((line) => line.includes('bad'))) {
      throw new WriteError({ kind: 'rejected', status: 422, reason: 'partial write: field type conflict' });
    }
  };
}

describe('WriteBatcher', () => {
  it('joins concurrent submissions into requests of at most maxPoints, keeping a record’s lines together', async () => {
    const influx = new FakeInflux();
    const batcher = new WriteBatcher(influx.write, settings);
    const [a, b] = await Promise.all([
      batcher.submit([{ lines: ['a1', 'a2'] }, { lines: ['a3'] }]),
      batcher.submit([{ lines: ['b1', 'b2'] }, { lines: [] }]),
    ]);
    expect(a).toEqual([{ ok: true }, { ok: true }]);
    expect(b).toEqual([{ ok: true }, { ok: true }]);
    expect(influx.requests).toEqual([
      ['a1', 'a2', 'a3'],
      ['b1', 'b2'],
    ]);
  });

  it('waits the flush interval, and no longer, for a request to fill', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const influx = new FakeInflux();
      const clock = { now: () => Date.now(), random: () => 0.5 };
      const batcher = new WriteBatcher(influx.write, { ...settings, flushIntervalMs: 40 }, {}, clock);
      const pending = batcher.submit([{ lines: ['x'] }]);
      await vi.advanceTimersByTimeAsync(39);
      expect(influx.requests).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(influx.requests).toEqual([['x']]);
      expect(await pending).toEqual([{ ok: true }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('isolates a record InfluxDB refuses by splitting the request; its neighbours are written', async () => {
    const influx = new FakeInflux();
    const splits: number[] = [];
    const batcher = new WriteBatcher(
      influx.write,
      { ...settings, maxPoints: 100 },
      { onSplit: ({ items }) => splits.push(items) },
    );
    const items = Array.from({ length: 8 }, (_, i) => ({ lines: [i === 5 ? 'bad5' : `ok${i}`] }));
    const outcomes = await batcher.submit(items);
    expect(outcomes[5]).toEqual({ ok: false, status: 422, reason: 'partial write: field type conflict' });
    expect(outcomes.filter((o) => o.ok)).toHaveLength(7);
    expect(influx.stored.size).toBe(7);
    expect(splits).toEqual([8, 4, 2]);
    expect(batcher.status().state).toBe('ok');
  });

  it('retries while InfluxDB is unreachable, reports it, and completes once it is back', async () => {
    const influx = new FakeInflux();
    influx.down = true;
    const health: boolean[] = [];
    const batcher = new WriteBatcher(influx.write, settings, {
      onHealthChange: (healthy) => health.push(healthy),
    });
    const pending = batcher.submit([{ lines: ['p1'] }]);
    await vi.waitFor(() => expect(influx.requests.length).toBeGreaterThan(1));
    expect(batcher.status()).toMatchObject({ state: 'retrying', lastError: 'connection refused' });
    influx.down = false;
    expect(await pending).toEqual([{ ok: true }]);
    expect(health).toEqual([false, true]);
  });

  it('rejects what it holds when aborted (the offsets stay uncommitted)', async () => {
    const influx = new FakeInflux();
    influx.down = true;
    const batcher = new WriteBatcher(influx.write, settings);
    const pending = batcher.submit([{ lines: ['p1'] }]);
    await vi.waitFor(() => expect(batcher.status().state).toBe('retrying'));
    batcher.abort('shutting down');
    await expect(pending).rejects.toMatchObject({ code: 'MEKONG_BRIDGE_ABORTED' });
    await expect(batcher.submit([{ lines: ['p2'] }])).rejects.toMatchObject({
      code: 'MEKONG_BRIDGE_ABORTED',
    });
  });
});
