import * as z from 'zod';
import { distributionSchema } from '../random/distributions.js';

/**
 * The scenario file: the single source of its types and of `scenario.schema.json`. Every duration is in
 * seconds. Semantic checks that need the whole file (templates exist, ids unique, time zones known,
 * shifts do not overlap) live in `check-scenario.ts`.
 */

const levelName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,63}$/,
    'must be 1–64 characters of a–z, 0–9, "_" and "-", starting with a letter or digit',
  )
  .describe('a topic level: 1–64 characters of a–z, 0–9, "_" and "-"');
const seconds = z.number().nonnegative();
const positiveSeconds = z.number().positive();
const share = z.number().min(0).max(1);
const replicas = z
  .int()
  .min(1)
  .max(1_000_000)
  .optional()
  .describe('replicate this element: ids become "<id>-01", "<id>-02", …; `--scale` multiplies line counts');
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time "HH:MM" (24 h)')
  .describe('local wall-clock time "HH:MM" in the site time zone');
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"');
const rfc3339 = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
    'must be an RFC 3339 time with offset, e.g. "2026-03-02T00:00:00+07:00"',
  );
const glob = z
  .string()
  .min(1)
  .describe(
    'cells to affect: a glob over "<site>/<area>/<line>/<cell>", "*" within a level, "**" across levels',
  );

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const breakSchema = z.strictObject({
  name: levelName.default('break').describe('reason code sent with the planned_stop state'),
  start: clockTime,
  end: clockTime,
});

export const shiftSchema = z.strictObject({
  name: levelName.describe('shift name, part of the ground-truth window key "<date>/<name>"'),
  start: clockTime,
  end: clockTime.describe('local end time; earlier than start means the shift ends the next day'),
  breaks: z.array(breakSchema).default([]).describe('planned stops inside the shift'),
});

export const calendarSchema = z.strictObject({
  shifts: z.array(shiftSchema).min(1),
  workingDays: z
    .array(z.enum(WEEKDAYS))
    .default(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'])
    .describe('days on which shifts start'),
  holidays: z.array(localDate).default([]).describe('dates on which no shift starts'),
});

export const productSchema = z.strictObject({
  id: z.string().min(1).max(128),
  idealCycleTime: positiveSeconds.describe('ideal cycle time of one part on this cell, seconds'),
  scrapRate: share.default(0).describe('share of parts that are scrap'),
  scrapMode: z
    .enum(['random', 'exact'])
    .default('random')
    .describe(
      'random: each part is scrap with probability scrapRate; exact: after n parts of a run, exactly ⌊n × scrapRate⌋ are scrap',
    ),
  speedLoss: distributionSchema
    .optional()
    .describe('extra cycle time as a fraction of the ideal (0.1 → 10 % slower), drawn per count interval'),
});

export const failureSchema = z.strictObject({
  timeBetween: distributionSchema.describe('running seconds between failures'),
  timeToRepair: distributionSchema.describe('seconds of planned time to repair'),
  reason: z.string().min(1).max(128).default('breakdown').describe('reason code on the down state'),
  alarm: z
    .strictObject({
      code: z.string().min(1).max(128),
      severity: z.enum(['info', 'warning', 'critical']).default('critical'),
      text: z.string().max(1024).optional(),
    })
    .optional()
    .describe('alarm raised when the failure starts and cleared when it is repaired'),
});

export const minorStopSchema = z.strictObject({
  timeBetween: distributionSchema.describe('running seconds between minor stops'),
  duration: distributionSchema.describe('seconds the cell stands idle'),
  reason: z.string().min(1).max(128).default('minor_stop'),
});

export const changeoverSchema = z.strictObject({
  runTime: distributionSchema.describe('running seconds of one product before the next product in the list'),
  setupTime: distributionSchema.describe('seconds of setup on each product change'),
});

export const SENSOR_KINDS = ['temperature', 'vibration', 'power', 'energy'] as const;
export const MACHINE_STATE_LEVELS = [
  'running',
  'idle',
  'down',
  'setup',
  'planned_stop',
  'not_scheduled',
] as const;

export const sensorSchema = z.strictObject({
  name: z.string().min(1).max(64),
  kind: z.enum(SENSOR_KINDS).describe('energy is a cumulative kW.h counter fed by the levels, read as kW'),
  unit: z.string().min(1).max(32).optional().describe('UCUM unit; default Cel, mm/s, kW, kW.h by kind'),
  levels: z
    .partialRecord(z.enum(MACHINE_STATE_LEVELS), z.number())
    .optional()
    .describe('value the sensor settles to in each machine state; defaults by kind'),
  timeConstant: seconds.default(300).describe('first-order lag towards the level, seconds (0 = immediate)'),
  noise: seconds.default(0).describe('standard deviation of white noise added to each reading'),
  driftPerHour: z.number().default(0).describe('linear drift added per hour of simulated time'),
});

export const cellBodyShape = {
  products: z.array(productSchema).min(1).optional().describe('products in production order'),
  failures: failureSchema.optional(),
  minorStops: minorStopSchema.optional(),
  changeover: changeoverSchema.optional(),
  sensors: z.array(sensorSchema).optional(),
  sensorInterval: positiveSeconds.optional().describe('seconds between sensor messages of this cell'),
};

export const cellTemplateSchema = z.strictObject(cellBodyShape);

export const cellSchema = z.strictObject({
  id: levelName,
  count: replicas,
  template: z
    .string()
    .optional()
    .describe('name of an entry of cellTemplates whose fields this cell inherits'),
  ...cellBodyShape,
});

export const workforceSchema = z.strictObject({
  people: z.int().min(0).describe('workers rostered per shift'),
  absenteeism: share.default(0).describe('probability that a rostered worker is absent for a shift'),
  clockInEarly: distributionSchema
    .default({ dist: 'fixed', value: 300 })
    .describe('seconds before shift start a worker clocks in'),
  clockOutLate: distributionSchema
    .default({ dist: 'fixed', value: 120 })
    .describe('seconds after shift end a worker clocks out'),
});

export const lineSchema = z.strictObject({
  id: levelName,
  count: replicas,
  calendar: z.string().optional().describe("name of an entry of calendars; default the site's"),
  workforce: workforceSchema.optional(),
  cells: z.array(cellSchema).min(1),
});

export const areaSchema = z.strictObject({
  id: levelName,
  count: replicas,
  lines: z.array(lineSchema).min(1),
});

export const siteSchema = z.strictObject({
  id: levelName,
  timeZone: z.string().describe('IANA time zone, e.g. Asia/Ho_Chi_Minh; shifts and day windows follow it'),
  calendar: z.string().describe('name of an entry of calendars'),
  areas: z.array(areaSchema).min(1),
});

export const disconnectSchema = z.strictObject({
  cells: glob,
  after: seconds.describe('seconds after the simulation start'),
  duration: positiveSeconds,
  mode: z
    .enum(['resend', 'loss'])
    .default('resend')
    .describe('resend: the device stores and sends on reconnect; loss: messages are lost'),
});

export const faultsSchema = z.strictObject({
  malformedRate: share.default(0).describe('share of delivered messages that are malformed (inserted)'),
  duplicateRate: share.default(0).describe('probability that a message is sent twice'),
  outOfOrderRate: share
    .default(0)
    .describe("probability that a message is delivered after its device's next"),
  clockSkew: z
    .array(
      z.strictObject({
        cells: glob,
        offset: z.number().describe('seconds added to the device clock (negative: late clock)'),
        driftPpm: z.number().default(0).describe('clock drift in parts per million of elapsed time'),
      }),
    )
    .default([]),
  disconnects: z.array(disconnectSchema).default([]),
  randomDisconnects: z
    .strictObject({
      perDevicePerDay: z.number().positive(),
      duration: distributionSchema,
      mode: z.enum(['resend', 'loss']).default('resend'),
    })
    .optional(),
  bursts: z
    .array(
      z.strictObject({
        cells: glob,
        after: seconds,
        duration: positiveSeconds,
        interval: positiveSeconds.describe('seconds between sensor messages during the burst'),
      }),
    )
    .default([]),
  brokerOutages: z
    .array(
      z.strictObject({
        after: seconds,
        duration: positiveSeconds,
        bufferLimit: z
          .int()
          .min(0)
          .default(10_000)
          .describe('messages each device buffers; older ones are lost'),
      }),
    )
    .default([]),
});

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  enterprise: levelName,
  start: rfc3339.default('2026-03-02T00:00:00+07:00').describe('default simulation start'),
  duration: positiveSeconds.default(86_400).describe('default simulated seconds'),
  minorStopThreshold: positiveSeconds.default(120).describe('θ: stops shorter than this are minor stops'),
  countInterval: positiveSeconds.default(60).describe('seconds between count messages while running'),
  sensorInterval: positiveSeconds.default(30).describe('seconds between sensor messages'),
  calendars: z.record(z.string(), calendarSchema),
  cellTemplates: z.record(z.string(), cellTemplateSchema).default({}),
  sites: z.array(siteSchema).min(1),
  faults: faultsSchema.default({
    malformedRate: 0,
    duplicateRate: 0,
    outOfOrderRate: 0,
    clockSkew: [],
    disconnects: [],
    bursts: [],
    brokerOutages: [],
  }),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type CalendarSpec = z.output<typeof calendarSchema>;
export type ShiftSpec = z.output<typeof shiftSchema>;
export type CellSpec = z.output<typeof cellSchema>;
export type CellTemplate = z.output<typeof cellTemplateSchema>;
export type ProductSpec = z.output<typeof productSchema>;
export type SensorSpec = z.output<typeof sensorSchema>;
export type FailureSpec = z.output<typeof failureSchema>;
export type MinorStopSpec = z.output<typeof minorStopSchema>;
export type ChangeoverSpec = z.output<typeof changeoverSchema>;
export type WorkforceSpec = z.output<typeof workforceSchema>;
export type FaultsSpec = z.output<typeof faultsSchema>;
export type DisconnectSpec = z.output<typeof disconnectSchema>;
export type SensorKind = (typeof SENSOR_KINDS)[number];
export type StateLevel = (typeof MACHINE_STATE_LEVELS)[number];
