import { describe, expect, it } from 'vitest';
import { handScenario } from '../support/hand-scenario.js';
import { at, payloadOf, runScenario } from '../support/run.js';

// Expected values derived by hand from the scenario (see support/hand-scenario.ts), in seconds.
//
// press, running seconds R count only while running; timers freeze in breaks:
//   06:00 R=0 · minor stop at R=4000 → 07:06:40–07:07:40 · tea 08:00 (R=7140) · resume 08:15
//   minor at R=8000 → 08:29:20–08:30:20 · minor at R=12000 → 09:37:00–09:38:00
//   failure at R=12500 → 09:46:20; repair 2820 s = 820 s before the meal + 2000 s after it → 11:03:20
//   tea 12:00 (R=15900) · minor at R=16000 → 12:16:40–12:17:40 · minor at R=20000 → 13:24:20–13:25:20
//   14:00 end of shift: R = 22080
const PBT = 8 * 3600 - 3600; // 25,200: 480 min minus 60 min of breaks
const pressMinor = 5 * 60; // five 60 s stops, each < θ = 120 s
const pressDown = 820 + 2000; // the failure, split by the meal into two stops, each ≥ θ
const pressApt = PBT - pressMinor - pressDown; // 22,080
const pressParts = Math.floor((pressApt * 1000) / 1100); // cycle 1.1 s → 20,072
const pressScrap = Math.floor(pressParts * 0.02); // exact mode → 401
const pressGood = pressParts - pressScrap;
const packParts = PBT / 2; // ICT 2 s, never stops → 12,600

describe('ground truth of the hand-built scenario', () => {
  const { rows, messages } = runScenario(handScenario());
  const row = (level: string, window: string, path: string) => {
    const found = rows.filter((r) => r.level === level && r.key === window && r.path === path);
    expect(found).toHaveLength(1);
    return found[0] as (typeof rows)[number];
  };

  it('times, counts and KPIs of the press over its shift', () => {
    const press = row('cell', '2026-03-02/a', 'acme/hcm/assembly/line-1/press');
    expect(press).toMatchObject({
      from: '2026-03-02T06:00:00.000+07:00',
      to: '2026-03-02T14:00:00.000+07:00',
      AT: 28_800,
      POT: 28_800,
      PBT,
      ASUT: 0,
      DOWN: pressDown,
      MINOR: pressMinor,
      APT: pressApt,
      IOT: pressParts,
      GOT: pressGood,
      good: pressGood,
      scrap: pressScrap,
      failures: 1,
      labourHours: null,
    });
    expect(pressApt).toBe(22_080);
    expect(press.A).toBeCloseTo(22_080 / 25_200, 12);
    expect(press.P).toBeCloseTo(20_072 / 22_080, 12);
    expect(press.Q).toBeCloseTo(19_671 / 20_072, 12);
    expect(press.OEE).toBeCloseTo(19_671 / 25_200, 12);
    expect((press.A ?? 0) * (press.P ?? 0) * (press.Q ?? 0)).toBeCloseTo(press.OEE ?? -1, 12);
  });

  it('the day window adds the unscheduled rest of the day and nothing else', () => {
    const day = row('cell', '2026-03-02', 'acme/hcm/assembly/line-1/press');
    expect(day).toMatchObject({
      AT: 86_400,
      POT: 28_800,
      PBT,
      APT: pressApt,
      good: pressGood,
      scrap: pressScrap,
    });
  });

  it('the line sums numerators and denominators of its cells, never their ratios', () => {
    const line = row('line', '2026-03-02/a', 'acme/hcm/assembly/line-1');
    expect(line).toMatchObject({
      cells: 2,
      PBT: 2 * PBT,
      APT: pressApt + PBT,
      IOT: pressParts + packParts * 2,
      GOT: pressGood + packParts * 2,
      good: pressGood + packParts,
    });
    const pooledQ = (pressGood + 25_200) / (pressParts + 25_200);
    const averagedQ = (pressGood / pressParts + 1) / 2;
    expect(line.Q).toBeCloseTo(pooledQ, 12);
    expect(Math.abs((line.Q ?? 0) - averagedQ)).toBeGreaterThan(1e-4);
  });

  it('labour: three workers from 05:50 to 14:05, minus the hour of breaks', () => {
    // Shift window: presence clipped to 06:00–14:00 = 8 h − 1 h of breaks = 7 h each.
    expect(row('line', '2026-03-02/a', 'acme/hcm/assembly/line-1').labourHours).toBeCloseTo(3 * 7, 12);
    // Day window: 8 h 15 min − 1 h = 7.25 h each.
    const day = row('line', '2026-03-02', 'acme/hcm/assembly/line-1');
    expect(day.labourHours).toBeCloseTo(3 * 7.25, 12);
    expect(day.goodPerLabourHour).toBeCloseTo((pressGood + packParts) / 21.75, 9);
    const site = row('site', '2026-03-02', 'acme/hcm');
    expect(site.labourHours).toBeCloseTo(21.75, 12);
    expect(site.OEE).toBeCloseTo(day.OEE ?? -1, 12);
  });

  it('the stream shows the failure split by the meal break, with its alarm', () => {
    const states = messages
      .filter((m) => m.topic === 'mekong/v1/acme/hcm/assembly/line-1/press/state')
      .map((m) => [m.tsMs, payloadOf(m).state, payloadOf(m).reason]);
    expect(states).toEqual([
      [at('00:00:00'), 'not_scheduled', undefined],
      [at('06:00:00'), 'running', undefined],
      [at('07:06:40'), 'idle', 'minor_stop'],
      [at('07:07:40'), 'running', undefined],
      [at('08:00:00'), 'planned_stop', 'tea'],
      [at('08:15:00'), 'running', undefined],
      [at('08:29:20'), 'idle', 'minor_stop'],
      [at('08:30:20'), 'running', undefined],
      [at('09:37:00'), 'idle', 'minor_stop'],
      [at('09:38:00'), 'running', undefined],
      [at('09:46:20'), 'down', 'breakdown'],
      [at('10:00:00'), 'planned_stop', 'meal'],
      [at('10:30:00'), 'down', 'breakdown'],
      [at('11:03:20'), 'running', undefined],
      [at('12:00:00'), 'planned_stop', 'tea'],
      [at('12:15:00'), 'running', undefined],
      [at('12:16:40'), 'idle', 'minor_stop'],
      [at('12:17:40'), 'running', undefined],
      [at('13:24:20'), 'idle', 'minor_stop'],
      [at('13:25:20'), 'running', undefined],
      [at('14:00:00'), 'not_scheduled', undefined],
    ]);
    const alarms = messages
      .filter((m) => m.topic.endsWith('/press/alarm'))
      .map((m) => [m.tsMs, payloadOf(m).active]);
    expect(alarms).toEqual([
      [at('09:46:20'), true],
      [at('11:03:20'), false],
    ]);
  });

  it('count messages add up to the truth and each lies inside the shift', () => {
    const counts = messages.filter((m) => m.topic.endsWith('/press/count'));
    const good = counts.reduce((sum, m) => sum + Number(payloadOf(m).good), 0);
    const scrap = counts.reduce((sum, m) => sum + Number(payloadOf(m).scrap), 0);
    expect([good, scrap]).toEqual([pressGood, pressScrap]);
    for (const m of counts) {
      expect(m.tsMs).toBeGreaterThan(at('06:00:00'));
      expect(m.tsMs).toBeLessThanOrEqual(at('14:00:00'));
    }
  });

  it('labour events: three clock-ins at 05:50 and three clock-outs at 14:05', () => {
    const labour = messages
      .filter((m) => m.topic === 'mekong/v1/acme/hcm/assembly/line-1/_line/labour')
      .map((m) => [m.tsMs, payloadOf(m).event, payloadOf(m).worker]);
    expect(labour).toEqual([
      [at('05:50:00'), 'clock_in', 'line-1-a-001'],
      [at('05:50:00'), 'clock_in', 'line-1-a-002'],
      [at('05:50:00'), 'clock_in', 'line-1-a-003'],
      [at('14:05:00'), 'clock_out', 'line-1-a-001'],
      [at('14:05:00'), 'clock_out', 'line-1-a-002'],
      [at('14:05:00'), 'clock_out', 'line-1-a-003'],
    ]);
  });
});

describe('the worked example of KPI.md', () => {
  // 480 min shift with 15 + 15 + 30 min of breaks → PBT 420 min; one 47 min failure → APT 373 min;
  // ICT 1 s; 19,271 parts of which 423 scrap. A failure after 15,000 s of running (the next would need
  // 30,000 s, more than the shift has); a cycle of 22,380 / 19,271.5 s gives exactly 19,271 parts in
  // 22,380 s; scrap rate 0.021951 in exact mode gives ⌊19,271 × 0.021951⌋ = 423.
  it('reproduces A 88.81 %, P 86.11 %, Q 97.80 %, OEE 74.79 %', () => {
    const scenario = handScenario();
    const cell = scenario.sites[0]?.areas[0]?.lines[0]?.cells[0];
    if (cell === undefined) throw new Error('scenario shape');
    cell.minorStops = undefined;
    cell.failures = {
      timeBetween: { dist: 'fixed', value: 15_000 },
      timeToRepair: { dist: 'fixed', value: 47 * 60 },
    };
    cell.products = [
      {
        id: 'part',
        idealCycleTime: 1,
        scrapRate: 0.021951,
        scrapMode: 'exact',
        speedLoss: { dist: 'fixed', value: 22_380 / 19_271.5 - 1 },
      },
    ];
    const { rows } = runScenario(scenario);
    const shift = rows.find(
      (r) => r.level === 'cell' && r.key === '2026-03-02/a' && r.path.endsWith('/press'),
    );
    expect(shift).toMatchObject({
      PBT: 420 * 60,
      DOWN: 47 * 60,
      MINOR: 0,
      APT: 373 * 60,
      total: 19_271,
      scrap: 423,
    });
    expect(((shift?.A ?? 0) * 100).toFixed(2)).toBe('88.81');
    expect(((shift?.P ?? 0) * 100).toFixed(2)).toBe('86.11');
    expect(((shift?.Q ?? 0) * 100).toFixed(2)).toBe('97.80');
    expect(((shift?.OEE ?? 0) * 100).toFixed(2)).toBe('74.79');
  });
});
