import { describe, expect, it } from 'vitest';
import type { SimMessage } from '../../src/core/sim-message.js';
import { loadScenario } from '../../src/scenario/builtin-scenarios.js';
import { expandScenario } from '../../src/scenario/expand-scenario.js';
import type { Scenario } from '../../src/scenario/schema.js';
import type { TruthRow } from '../../src/truth/truth-row.js';
import { runScenario } from '../support/run.js';

// Rebuilds each cell's and line's KPIs from the messages alone, following the conventions written in
// the truth file (truth/convention.ts), and checks them against the ground truth. This is what the KPI
// engine will do; if the two disagree here, the convention is not implementable from the stream.

interface Interval {
  from: number;
  to: number;
  state: string;
}

function overlap(a: { from: number; to: number }, b: { from: number; to: number }): number {
  return Math.max(0, Math.min(a.to, b.to) - Math.max(a.from, b.from));
}

/** The `large` scenario cut down to one line of each kind: three shifts, a night shift across midnight. */
async function oneLineOfLarge(): Promise<Scenario> {
  const scenario = await loadScenario('large');
  const site = scenario.sites[0] as Scenario['sites'][number];
  return {
    ...scenario,
    sites: [
      {
        ...site,
        areas: site.areas.map((area) => ({
          ...area,
          count: 1,
          lines: area.lines.map((line) => ({ ...line, count: 1 })),
        })),
      },
    ],
  };
}

describe.each([
  ['demo', () => loadScenario('demo'), 20 * (2 + 3)], // 2 days, shifts a, b on Monday and a on Tuesday
  ['garment', () => loadScenario('garment'), 47 * (2 + 2)], // 2 days, the day shift on both
  ['large, one line of each kind', oneLineOfLarge, 20 * (2 + 4)], // 2 days; a, b, c Monday, a Tuesday
])('the ground truth of %s can be recomputed from the stream', async (_, load, cellRowCount) => {
  const scenario = await load();
  const end = Date.parse('2026-03-03T12:00:00+07:00');
  const { messages, rows } = runScenario(scenario, {
    startMs: Date.parse('2026-03-02T00:00:00+07:00'),
    durationMs: 36 * 3_600_000,
    seed: 'consistency',
  });
  // Ideal cycle times per cell and product: the same product can take different times on two cells.
  const ict = new Map<string, number>();
  for (const cell of expandScenario(scenario).cells) {
    for (const product of cell.body.products) {
      ict.set(`${scenario.enterprise}/${cell.path}|${product.id}`, product.idealCycleTime);
    }
  }
  const byPublisher = new Map<string, SimMessage[]>();
  for (const message of messages) {
    const publisher = message.topic.split('/').slice(2, 7).join('/');
    byPublisher.set(publisher, [...(byPublisher.get(publisher) ?? []), message]);
  }
  const intervalsOf = (publisher: string): Interval[] => {
    const states = (byPublisher.get(publisher) ?? []).filter((m) => m.topic.endsWith('/state'));
    return states.map((m, i) => ({
      from: m.tsMs,
      to: states[i + 1]?.tsMs ?? end,
      state: String((m.payload as { state: string }).state),
    }));
  };
  const windowOf = (row: TruthRow) => ({ from: Date.parse(row.from), to: Date.parse(row.to) });

  it('per cell and window: every time, count and ideal time', () => {
    const cellRows = rows.filter((row) => row.level === 'cell');
    expect(cellRows.length).toBe(cellRowCount);
    for (const row of cellRows) {
      const window = windowOf(row);
      const intervals = intervalsOf(row.path);
      const sum = (state: string) =>
        intervals.filter((i) => i.state === state).reduce((total, i) => total + overlap(i, window), 0) / 1000;
      const stops = intervals.filter((i) => i.state === 'down' || i.state === 'idle');
      const down =
        stops.filter((i) => i.to - i.from >= 120_000).reduce((t, i) => t + overlap(i, window), 0) / 1000;
      const minor =
        stops.filter((i) => i.to - i.from < 120_000).reduce((t, i) => t + overlap(i, window), 0) / 1000;
      const counts = (byPublisher.get(row.path) ?? []).filter(
        (m) => m.topic.endsWith('/count') && m.tsMs > window.from && m.tsMs <= window.to,
      );
      const good = counts.reduce((t, m) => t + Number((m.payload as { good: number }).good), 0);
      const scrap = counts.reduce((t, m) => t + Number((m.payload as { scrap: number }).scrap), 0);
      const iot = counts.reduce((t, m) => {
        const p = m.payload as { good: number; scrap: number; product: string };
        return t + (ict.get(`${row.path}|${p.product}`) ?? Number.NaN) * (p.good + p.scrap);
      }, 0);
      const rebuilt = {
        AT: (window.to - window.from) / 1000,
        POT: (window.to - window.from) / 1000 - sum('not_scheduled'),
        PBT: (window.to - window.from) / 1000 - sum('not_scheduled') - sum('planned_stop'),
        ASUT: sum('setup'),
        DOWN: down,
        MINOR: minor,
        APT: sum('running'),
        good,
        scrap,
      };
      expect({ path: row.path, key: row.key, ...rebuilt }).toEqual({
        path: row.path,
        key: row.key,
        AT: row.AT,
        POT: row.POT,
        PBT: row.PBT,
        ASUT: row.ASUT,
        DOWN: row.DOWN,
        MINOR: row.MINOR,
        APT: row.APT,
        good: row.good,
        scrap: row.scrap,
      });
      expect(iot).toBeCloseTo(row.IOT, 6);
    }
  });

  it('per line and window: labour hours from clock events minus breaks', () => {
    for (const row of rows.filter((r) => r.level === 'line')) {
      const window = windowOf(row);
      const events = (byPublisher.get(`${row.path}/_line`) ?? []).map(
        (m) => m.payload as { event: string; worker: string },
      );
      const times = (byPublisher.get(`${row.path}/_line`) ?? []).map((m) => m.tsMs);
      const since = new Map<string, number>();
      const presence: { from: number; to: number }[] = [];
      events.forEach((event, i) => {
        if (event.event === 'clock_in') since.set(event.worker, times[i] as number);
        else {
          presence.push({ from: since.get(event.worker) as number, to: times[i] as number });
          since.delete(event.worker);
        }
      });
      for (const from of since.values()) presence.push({ from, to: end });
      // Breaks are the line calendar's planned stops, as any of its cells reports them.
      const cell = messages.find(
        (m) => m.topic.includes(`/${row.path.split('/').slice(1).join('/')}/`) && !m.topic.includes('_line'),
      );
      const breaks = intervalsOf(cell?.topic.split('/').slice(2, 7).join('/') ?? '').filter(
        (i) => i.state === 'planned_stop',
      );
      let ms = 0;
      for (const p of presence) {
        const clipped = { from: Math.max(p.from, window.from), to: Math.min(p.to, window.to) };
        if (clipped.to <= clipped.from) continue;
        ms += clipped.to - clipped.from - breaks.reduce((t, b) => t + overlap(b, clipped), 0);
      }
      expect(ms / 3_600_000).toBeCloseTo(row.labourHours ?? -1, 9);
    }
  });
});
