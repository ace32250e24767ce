import type { MachineState } from '@mekong/contracts';
import { standardNormal } from '../random/distributions.js';
import type { Prng } from '../random/prng.js';
import type { SensorKind, SensorSpec, StateLevel } from '../scenario/schema.js';
import type { JsonValue } from './sim-message.js';

type Levels = Record<StateLevel, number>;

const DEFAULT_UNITS: Record<SensorKind, string> = {
  temperature: 'Cel',
  vibration: 'mm/s',
  power: 'kW',
  energy: 'kW.h',
};
const POWER_LEVELS: Levels = {
  running: 7.5,
  idle: 2.5,
  setup: 1.5,
  down: 0.5,
  planned_stop: 0.8,
  not_scheduled: 0.2,
};
const DEFAULT_LEVELS: Record<SensorKind, Levels> = {
  temperature: { running: 65, idle: 50, setup: 45, down: 40, planned_stop: 42, not_scheduled: 28 },
  vibration: { running: 4.5, idle: 1.2, setup: 0.8, down: 0.3, planned_stop: 0.3, not_scheduled: 0 },
  power: POWER_LEVELS,
  energy: POWER_LEVELS,
};

interface SensorState {
  name: string;
  kind: SensorKind;
  unit: string;
  levels: Levels;
  tauMs: number;
  noise: number;
  driftPerHour: number;
  value: number;
}

function levelOf(levels: Levels, state: MachineState): number {
  return state === 'off' ? levels.not_scheduled : levels[state];
}

/**
 * The sensors of one cell. Each settles towards the level of the current machine state with a
 * first-order lag; `energy` integrates its levels (kW) into kW.h. Advanced only at state changes and
 * readings, exactly (the lag has a closed form), so the cost does not depend on simulated time.
 */
export class SensorBank {
  private readonly sensors: SensorState[];
  private lastMs: number;

  constructor(
    specs: readonly SensorSpec[],
    private readonly prng: Prng,
    private readonly startMs: number,
    initialState: MachineState,
  ) {
    this.lastMs = startMs;
    this.sensors = specs.map((spec) => {
      const levels = { ...DEFAULT_LEVELS[spec.kind], ...spec.levels };
      return {
        name: spec.name,
        kind: spec.kind,
        unit: spec.unit ?? DEFAULT_UNITS[spec.kind],
        levels,
        tauMs: spec.timeConstant * 1000,
        noise: spec.noise,
        driftPerHour: spec.driftPerHour,
        value: spec.kind === 'energy' ? 0 : levelOf(levels, initialState),
      };
    });
  }

  get size(): number {
    return this.sensors.length;
  }

  /** Moves every sensor to `t`, the machine having been in `state` since the last call. */
  advance(t: number, state: MachineState): void {
    const dt = t - this.lastMs;
    if (dt <= 0) return;
    for (const sensor of this.sensors) {
      const level = levelOf(sensor.levels, state);
      if (sensor.kind === 'energy') sensor.value += (level * dt) / 3_600_000;
      else if (sensor.tauMs === 0) sensor.value = level;
      else sensor.value = level + (sensor.value - level) * Math.exp(-dt / sensor.tauMs);
    }
    this.lastMs = t;
  }

  /** The readings at the last `advance`, with drift and noise. */
  read(): JsonValue[] {
    const hours = (this.lastMs - this.startMs) / 3_600_000;
    return this.sensors.map((sensor) => {
      let value = sensor.value;
      if (sensor.kind !== 'energy') {
        value += sensor.driftPerHour * hours;
        if (sensor.noise > 0) value += sensor.noise * standardNormal(this.prng);
        if (sensor.kind !== 'temperature') value = Math.max(0, value);
      }
      return { name: sensor.name, value: Math.round(value * 1000) / 1000, unit: sensor.unit };
    });
  }
}
