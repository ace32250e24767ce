import type { MachineState } from '@mekong/contracts';
import type { BurstSpan, ClockSkew } from '../faults/fault-plan.js';
import type { Distribution } from '../random/distributions.js';
import { draw } from '../random/distributions.js';
import type { Prng } from '../random/prng.js';
import { streamFor } from '../random/prng.js';
import type { PlanCell } from '../scenario/expand-scenario.js';
import { formatRfc3339 } from '../time/rfc3339.js';
import { CellWindows } from '../truth/cell-windows.js';
import type { TruthHub } from '../truth/truth-hub.js';
import { deviceClock } from './device-clock.js';
import type { Schedule, Segment } from './schedule.js';
import { SensorBank } from './sensor-bank.js';
import type { JsonValue, SimMessage } from './sim-message.js';
import type { Source } from './source.js';

type Process = 'running' | 'down' | 'idle' | 'setup';

export interface CellSourceOptions {
  seed: string;
  startMs: number;
  endMs: number;
  thetaMs: number;
  countIntervalMs: number;
  sensorIntervalMs: number;
  skew: ClockSkew | undefined;
  bursts: BurstSpan[];
}

function isStop(state: MachineState | undefined): boolean {
  return state === 'down' || state === 'idle';
}

/** Whole milliseconds, at least 1, so no state lasts zero time. */
function drawMs(distribution: Distribution, prng: Prng): number {
  return Math.max(1, Math.round(draw(distribution, prng) * 1000));
}

/**
 * One machine. Its production process (running, failures, minor stops, setups) runs on planned
 * production time only: timers freeze during breaks and outside shifts, where the calendar's state
 * (planned_stop, not_scheduled) is what the machine reports. Every change of reported state is a
 * state message; counts flush on a grid while running and whenever running ends or a segment (day,
 * shift, break) ends, so a count never spans a window boundary.
 */
export class CellSource implements Source {
  nextAt: number;
  private readonly truth: CellWindows;
  private readonly topicPrefix: string;
  private readonly clock: (t: number) => string;
  private readonly failurePrng: Prng;
  private readonly minorPrng: Prng;
  private readonly changeoverPrng: Prng;
  private readonly qualityPrng: Prng;
  private readonly speedPrng: Prng;
  private readonly sensors: SensorBank;
  private readonly countPhase: number;
  private readonly sensorPhase: number;
  private seq = 0;
  private segIndex = 0;
  private lastT: number;
  private proc: Process = 'running';
  private procLeft = 0;
  private untilFailure = Number.POSITIVE_INFINITY;
  private untilMinor = Number.POSITIVE_INFINITY;
  private untilChangeover = Number.POSITIVE_INFINITY;
  private product = 0;
  private progressMs = 0;
  private cycleMs = 0;
  /** Parts and scrap of the current product run, for the `exact` scrap mode. */
  private runParts = 0;
  private runScrap = 0;
  private pendingGood = 0;
  private pendingScrap = 0;
  private wireState: MachineState | undefined;
  private wireReason: string | undefined;
  private wireProduct: string | undefined;
  private nextCountAt: number;
  private nextSensorAt: number;
  private alarm: 'raise' | 'clear' | undefined;
  private burstIndex = 0;
  private burstMessages = 0;

  constructor(
    private readonly cell: PlanCell,
    private readonly schedule: Schedule,
    private readonly hub: TruthHub,
    private readonly options: CellSourceOptions,
  ) {
    const { seed } = options;
    const zone = cell.line.site.zone;
    this.truth = new CellWindows(cell.index, schedule, hub, options.thetaMs);
    this.topicPrefix = `mekong/v1/${cell.address.enterprise}/${cell.path}/`;
    this.clock = deviceClock(zone, options.startMs, options.skew);
    this.failurePrng = streamFor(seed, cell.path, 'failures');
    this.minorPrng = streamFor(seed, cell.path, 'minor-stops');
    this.changeoverPrng = streamFor(seed, cell.path, 'changeover');
    this.qualityPrng = streamFor(seed, cell.path, 'quality');
    this.speedPrng = streamFor(seed, cell.path, 'speed');
    const phasePrng = streamFor(seed, cell.path, 'phase');
    // Devices are not synchronised: each reports on its own phase of the interval.
    this.countPhase = Math.floor(phasePrng.next() * options.countIntervalMs);
    this.sensorPhase = Math.floor(phasePrng.next() * this.sensorIntervalMs);
    const first = this.segment;
    this.sensors = new SensorBank(
      cell.body.sensors ?? [],
      streamFor(seed, cell.path, 'sensors'),
      options.startMs,
      first.state === 'production' ? 'running' : first.state,
    );
    const { failures, minorStops, changeover } = cell.body;
    if (failures !== undefined) this.untilFailure = drawMs(failures.timeBetween, this.failurePrng);
    if (minorStops !== undefined) this.untilMinor = drawMs(minorStops.timeBetween, this.minorPrng);
    if (changeover !== undefined && cell.body.products.length > 1) {
      this.untilChangeover = drawMs(changeover.runTime, this.changeoverPrng);
    }
    this.drawCycle();
    this.lastT = options.startMs;
    this.nextAt = options.startMs;
    this.nextCountAt = this.gridAfter(options.startMs, this.countPhase, options.countIntervalMs);
    this.nextSensorAt = this.sensors.size === 0 ? Number.POSITIVE_INFINITY : options.startMs;
  }

  private get sensorIntervalMs(): number {
    const own = this.cell.body.sensorInterval;
    return own === undefined ? this.options.sensorIntervalMs : Math.max(1, Math.round(own * 1000));
  }

  private get segment(): Segment {
    return this.schedule.segments[this.segIndex] as Segment;
  }

  private gridAfter(t: number, phase: number, interval: number): number {
    const base = this.options.startMs + phase;
    if (t < base) return base;
    return base + (Math.floor((t - base) / interval) + 1) * interval;
  }

  private drawCycle(): void {
    const product = this.cell.body.products[this.product];
    if (product === undefined) return;
    const loss = product.speedLoss === undefined ? 0 : draw(product.speedLoss, this.speedPrng);
    this.cycleMs = product.idealCycleTime * 1000 * (1 + loss);
  }

  step(out: SimMessage[]): void {
    const t = this.nextAt;
    this.accrue(t);
    if (t === this.segment.to) {
      if (this.proc === 'running' && this.segment.state === 'production') this.flush(t, out);
      const next = this.schedule.segments[this.segIndex + 1];
      if (next === undefined || t >= this.options.endMs) {
        this.finish(t);
        return;
      }
      this.truth.leave(this.segment, next);
      this.segIndex += 1;
    }
    const production = this.segment.state === 'production';
    if (production) this.transitions(t, out);
    if (t >= this.nextCountAt) {
      if (production && this.proc === 'running') this.flush(t, out);
      this.nextCountAt = this.gridAfter(t, this.countPhase, this.options.countIntervalMs);
      this.drawCycle();
    }
    this.updateWire(t, out);
    if (this.alarm !== undefined) this.sendAlarm(t, out);
    if (t >= this.nextSensorAt) this.sendSensors(t, out);
    this.nextAt = this.computeNext(t);
  }

  /** Books the time since the last step: truth, production and process timers. */
  private accrue(t: number): void {
    const dt = t - this.lastT;
    if (dt <= 0) return;
    const segment = this.segment;
    if (this.wireState !== undefined) this.truth.addTime(segment, this.wireState, dt);
    if (segment.state === 'production') {
      if (this.proc === 'running') {
        this.produce(dt);
        this.untilFailure -= dt;
        this.untilMinor -= dt;
        this.untilChangeover -= dt;
      } else {
        this.procLeft -= dt;
      }
    }
    this.lastT = t;
  }

  private produce(dt: number): void {
    this.progressMs += dt;
    if (this.progressMs < this.cycleMs) return;
    const parts = Math.floor(this.progressMs / this.cycleMs);
    this.progressMs -= parts * this.cycleMs;
    const product = this.cell.body.products[this.product];
    const scrapRate = product?.scrapRate ?? 0;
    let scrap = 0;
    if (product?.scrapMode === 'exact') {
      this.runParts += parts;
      // Integer parts per million: ⌊n × rate⌋ without float error.
      const due = Math.floor((this.runParts * Math.round(scrapRate * 1_000_000)) / 1_000_000);
      scrap = due - this.runScrap;
      this.runScrap = due;
    } else if (scrapRate > 0) {
      for (let i = 0; i < parts; i += 1) if (this.qualityPrng.next() < scrapRate) scrap += 1;
    }
    this.pendingGood += parts - scrap;
    this.pendingScrap += scrap;
  }

  private flush(t: number, out: SimMessage[]): void {
    if (this.pendingGood + this.pendingScrap === 0) return;
    const product = this.cell.body.products[this.product];
    if (product === undefined) return;
    this.truth.addParts(this.segment, product.idealCycleTime * 1000, this.pendingGood, this.pendingScrap);
    this.send(t, 'count', { good: this.pendingGood, scrap: this.pendingScrap, product: product.id }, out);
    this.pendingGood = 0;
    this.pendingScrap = 0;
  }

  private transitions(t: number, out: SimMessage[]): void {
    const { failures, minorStops, changeover } = this.cell.body;
    if (this.proc === 'running') {
      if (failures !== undefined && this.untilFailure <= 0) {
        this.flush(t, out);
        this.proc = 'down';
        this.procLeft = drawMs(failures.timeToRepair, this.failurePrng);
        this.truth.startFailure(this.segment);
        if (failures.alarm !== undefined) this.alarm = 'raise';
      } else if (changeover !== undefined && this.untilChangeover <= 0) {
        this.flush(t, out);
        this.proc = 'setup';
        this.product = (this.product + 1) % this.cell.body.products.length;
        this.progressMs = 0;
        this.runParts = 0;
        this.runScrap = 0;
        this.procLeft = drawMs(changeover.setupTime, this.changeoverPrng);
      } else if (minorStops !== undefined && this.untilMinor <= 0) {
        this.flush(t, out);
        this.proc = 'idle';
        this.procLeft = drawMs(minorStops.duration, this.minorPrng);
      }
      return;
    }
    if (this.procLeft > 0) return;
    if (this.proc === 'down' && failures !== undefined) {
      this.untilFailure = drawMs(failures.timeBetween, this.failurePrng);
      this.truth.endFailure();
      if (failures.alarm !== undefined) this.alarm = 'clear';
    } else if (this.proc === 'setup' && changeover !== undefined) {
      this.untilChangeover = drawMs(changeover.runTime, this.changeoverPrng);
      this.drawCycle();
    } else if (this.proc === 'idle' && minorStops !== undefined) {
      this.untilMinor = drawMs(minorStops.timeBetween, this.minorPrng);
    }
    this.proc = 'running';
  }

  private updateWire(t: number, out: SimMessage[]): void {
    const segment = this.segment;
    const { failures, minorStops } = this.cell.body;
    let state: MachineState;
    let reason: string | undefined;
    let product: string | undefined;
    if (segment.state === 'production') {
      state = this.proc;
      product = this.cell.body.products[this.product]?.id;
      if (this.proc === 'down') reason = failures?.reason;
      else if (this.proc === 'idle') reason = minorStops?.reason;
      else if (this.proc === 'setup') reason = 'changeover';
    } else {
      state = segment.state;
      reason = segment.reason;
    }
    if (state === this.wireState && reason === this.wireReason && product === this.wireProduct) return;
    // A stop is a run of consecutive stop states: it ends at the first state that is not one.
    if (isStop(this.wireState) && !isStop(state)) this.truth.endStop();
    if (this.wireState !== undefined) this.sensors.advance(t, this.wireState);
    this.wireState = state;
    this.wireReason = reason;
    this.wireProduct = product;
    const payload: { [key: string]: JsonValue } = { state };
    if (reason !== undefined) payload.reason = reason;
    if (product !== undefined) payload.product = product;
    this.send(t, 'state', payload, out);
  }

  private sendAlarm(t: number, out: SimMessage[]): void {
    const spec = this.cell.body.failures?.alarm;
    const active = this.alarm === 'raise';
    this.alarm = undefined;
    if (spec === undefined) return;
    const payload: { [key: string]: JsonValue } = { code: spec.code, severity: spec.severity, active };
    if (spec.text !== undefined) payload.text = spec.text;
    this.send(t, 'alarm', payload, out);
  }

  private sendSensors(t: number, out: SimMessage[]): void {
    this.sensors.advance(t, this.wireState ?? 'not_scheduled');
    this.send(t, 'sensor', { readings: this.sensors.read() }, out);
    const burst = this.options.bursts[this.burstIndex];
    if (burst !== undefined && t >= burst.from && t < burst.to) this.burstMessages += 1;
    this.nextSensorAt = this.nextSensorTime(t);
  }

  /** The regular grid, or the burst's faster pace while a burst lasts. */
  private nextSensorTime(t: number): number {
    let next = this.gridAfter(t, this.sensorPhase, this.sensorIntervalMs);
    let burst = this.options.bursts[this.burstIndex];
    while (burst !== undefined && t >= burst.to) {
      this.logBurst(burst);
      this.burstIndex += 1;
      burst = this.options.bursts[this.burstIndex];
    }
    if (burst !== undefined) {
      if (t < burst.from) next = Math.min(next, burst.from);
      else if (t + burst.intervalMs < burst.to) next = Math.min(next, t + burst.intervalMs);
    }
    return next;
  }

  private logBurst(burst: BurstSpan): void {
    const zone = this.cell.line.site.zone;
    this.hub.fault({
      type: 'burst',
      device: this.cell.path,
      from: formatRfc3339(burst.from, zone),
      to: formatRfc3339(burst.to, zone),
      messages: this.burstMessages,
      detail: `sensor messages every ${burst.intervalMs} ms`,
    });
    this.burstMessages = 0;
  }

  private computeNext(t: number): number {
    const segment = this.segment;
    let next = Math.min(segment.to, this.nextSensorAt);
    if (segment.state === 'production') {
      if (this.proc === 'running') {
        next = Math.min(
          next,
          this.nextCountAt,
          t + Math.min(this.untilFailure, this.untilMinor, this.untilChangeover),
        );
      } else {
        next = Math.min(next, t + this.procLeft);
      }
    }
    return Math.min(Math.max(next, t + 1), segment.to);
  }

  private finish(t: number): void {
    if (isStop(this.wireState)) this.truth.endStop();
    this.truth.endFailure();
    this.truth.leave(this.segment, undefined);
    for (let i = this.burstIndex; i < this.options.bursts.length; i += 1) {
      const burst = this.options.bursts[i] as BurstSpan;
      if (burst.from < t) this.logBurst(burst);
    }
    this.nextAt = Number.POSITIVE_INFINITY;
  }

  private send(t: number, kind: string, body: { [key: string]: JsonValue }, out: SimMessage[]): void {
    const payload: { [key: string]: JsonValue } = { ts: this.clock(t), seq: this.seq };
    for (const key in body) payload[key] = body[key] as JsonValue;
    this.seq += 1;
    out.push({ topic: this.topicPrefix + kind, payload, tsMs: t, sendAtMs: t, device: this.cell.index });
  }
}
