import { z } from 'zod';
import { isCellPath, isLinePath } from './asset-path.js';
import { describeIssues, KpiError } from './errors.js';
import { isKnownTimeZone } from './zoned-time.js';

/**
 * Master data that devices do not send: products and their ideal cycle times, the minor-stop threshold,
 * shift calendars, lines (calendar, bottleneck, output cell, roster) and per-period financials.
 * The simplest valid form is a time zone and one product with its ideal cycle time.
 */

const clockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a local time HH:MM (00:00–23:59)' })
  .describe('Local wall-clock time HH:MM in the site time zone.');

export const weekdayNames = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
const weekdaySchema = z.enum(weekdayNames);
export type WeekdayName = z.infer<typeof weekdaySchema>;

const positiveSecondsSchema = z.number().positive().finite();

export const plannedBreakSchema = z.strictObject({
  name: z.string().optional(),
  start: clockTimeSchema,
  end: clockTimeSchema,
});

export const shiftSchema = z
  .strictObject({
    id: z.string().min(1).describe('Shift name, e.g. "A" or "night".'),
    start: clockTimeSchema,
    end: clockTimeSchema.describe(
      'End time; an end at or before the start means the shift crosses midnight.',
    ),
    breaks: z
      .array(plannedBreakSchema)
      .default([])
      .describe('Planned stops (breaks, meals) inside the shift.'),
    weekdays: z
      .array(weekdaySchema)
      .optional()
      .describe('Days on which the shift starts; default every working day of the calendar.'),
  })
  .superRefine((shift, context) => {
    const shiftLength = minutesAfter(shift.start, shift.end) || 1440;
    shift.breaks.forEach((plannedBreak, index) => {
      const startOffset = minutesAfter(shift.start, plannedBreak.start);
      const endOffset = minutesAfter(shift.start, plannedBreak.end) || 1440;
      if (!(startOffset < endOffset && endOffset <= shiftLength)) {
        context.addIssue({
          code: 'custom',
          path: ['breaks', index],
          message: `break ${plannedBreak.start}–${plannedBreak.end} is not inside shift ${shift.start}–${shift.end}`,
        });
      }
    });
  })
  .describe('A shift belongs to the day on which it starts.');

/** Minutes from one HH:MM to the next occurrence of another, 0–1439. */
export function minutesAfter(from: string, to: string): number {
  return (minutesOfDay(to) - minutesOfDay(from) + 1440) % 1440;
}

/** Minutes since local midnight of an HH:MM time. */
export function minutesOfDay(clockTime: string): number {
  return Number(clockTime.slice(0, 2)) * 60 + Number(clockTime.slice(3, 5));
}

export const shiftCalendarSchema = z.strictObject({
  id: z.string().min(1),
  shifts: z.array(shiftSchema).min(1),
  nonWorkingWeekdays: z.array(weekdaySchema).default([]),
  holidays: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date YYYY-MM-DD' }))
    .default([])
    .describe('Local dates on which no shift starts.'),
});

export const productSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  idealCycleSeconds: positiveSecondsSchema.describe('Ideal cycle time of one unit, seconds.'),
  cells: z
    .array(
      z.strictObject({
        path: z
          .string()
          .refine(isCellPath, { message: 'expected a cell path enterprise/site/area/line/cell' }),
        idealCycleSeconds: positiveSecondsSchema,
      }),
    )
    .default([])
    .describe('Per-cell ideal cycle times that override the product default.'),
});

export const lineRosterSchema = z.strictObject({
  headcount: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Workers employed on the line; the per-worker figures divide by it.'),
  workers: z
    .array(z.string().min(1))
    .optional()
    .describe('Badge ids; their number is the headcount when not given.'),
  labourSource: z
    .enum(['clock', 'headcount', 'auto'])
    .default('auto')
    .describe(
      'Where labour hours come from: clock-in/out events, headcount snapshots, or auto (clock events when the window has any, else headcount).',
    ),
});

export const lineSchema = z.strictObject({
  path: z.string().refine(isLinePath, { message: 'expected a line path enterprise/site/area/line' }),
  calendar: z.string().optional().describe('Shift calendar id; default the top-level defaultCalendar.'),
  bottleneckCell: z.string().optional().describe('Cell path of the bottleneck, for the line bottleneck OEE.'),
  outputCell: z
    .string()
    .optional()
    .describe('Cell path whose good units are the line output (units per labour hour).'),
  roster: lineRosterSchema.optional(),
});

const periodSchema = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, { message: 'expected a period YYYY or YYYY-MM' })
  .describe('Financial period: a year YYYY or a month YYYY-MM (site time zone).');

export const financialPeriodSchema = z.strictObject({
  path: z.string().min(1).describe('Enterprise, site (enterprise/site) or line path the figures belong to.'),
  period: periodSchema,
  grossOutputVnd: z.number().nonnegative().finite(),
  intermediateConsumptionVnd: z
    .number()
    .nonnegative()
    .finite()
    .describe('Materials, energy and purchased services, VND.'),
  priceIndex: z.number().positive().finite().describe('Output price index of the period (any fixed base).'),
  labourHours: positiveSecondsSchema
    .optional()
    .describe('Labour hours from HR records; default the measured ones.'),
  averageHeadcount: z
    .number()
    .positive()
    .finite()
    .optional()
    .describe('Average employed workers in the period.'),
});

export const masterDataSchema = z
  .strictObject({
    timezone: z
      .string()
      .refine(isKnownTimeZone, { message: 'unknown IANA time zone' })
      .describe('Site time zone, e.g. Asia/Ho_Chi_Minh; windows and shifts are split in it.'),
    products: z.array(productSchema).min(1),
    minorStopThresholdSeconds: positiveSecondsSchema
      .default(120)
      .describe('θ: a stop shorter than this is a minor stop, otherwise downtime.'),
    silenceGapSeconds: positiveSecondsSchema
      .optional()
      .describe('A cell silent longer than this is in unknown state after the gap; default: never.'),
    calendars: z.array(shiftCalendarSchema).default([]),
    defaultCalendar: z
      .string()
      .optional()
      .describe('Calendar of lines that name none; without one all time is scheduled.'),
    lines: z.array(lineSchema).default([]),
    financials: z.array(financialPeriodSchema).default([]),
  })
  .superRefine((master, context) => {
    const calendarIds = new Set<string>();
    master.calendars.forEach((calendar, index) => {
      if (calendarIds.has(calendar.id)) {
        context.addIssue({
          code: 'custom',
          path: ['calendars', index, 'id'],
          message: `duplicate calendar id ${calendar.id}`,
        });
      }
      calendarIds.add(calendar.id);
    });
    if (master.defaultCalendar !== undefined && !calendarIds.has(master.defaultCalendar)) {
      context.addIssue({
        code: 'custom',
        path: ['defaultCalendar'],
        message: `no calendar with id ${master.defaultCalendar}`,
      });
    }
    const productIds = new Set<string>();
    master.products.forEach((product, index) => {
      if (productIds.has(product.id)) {
        context.addIssue({
          code: 'custom',
          path: ['products', index, 'id'],
          message: `duplicate product id ${product.id}`,
        });
      }
      productIds.add(product.id);
    });
    const linePaths = new Set<string>();
    master.lines.forEach((line, index) => {
      if (linePaths.has(line.path)) {
        context.addIssue({
          code: 'custom',
          path: ['lines', index, 'path'],
          message: `duplicate line ${line.path}`,
        });
      }
      linePaths.add(line.path);
      if (line.calendar !== undefined && !calendarIds.has(line.calendar)) {
        context.addIssue({
          code: 'custom',
          path: ['lines', index, 'calendar'],
          message: `no calendar with id ${line.calendar}`,
        });
      }
      for (const field of ['bottleneckCell', 'outputCell'] as const) {
        const cell = line[field];
        if (cell !== undefined && !(isCellPath(cell) && cell.startsWith(`${line.path}/`))) {
          context.addIssue({
            code: 'custom',
            path: ['lines', index, field],
            message: `expected a cell path under ${line.path}`,
          });
        }
      }
    });
    const periods = new Set<string>();
    master.financials.forEach((entry, index) => {
      const key = `${entry.path} ${entry.period}`;
      if (periods.has(key)) {
        context.addIssue({ code: 'custom', path: ['financials', index], message: `duplicate period ${key}` });
      }
      periods.add(key);
    });
  });

/** Master data as written in the file (defaults not yet applied). */
export type MasterDataInput = z.input<typeof masterDataSchema>;
/** Master data with defaults applied. */
export type MasterData = z.infer<typeof masterDataSchema>;
export type ShiftCalendar = z.infer<typeof shiftCalendarSchema>;
export type Shift = z.infer<typeof shiftSchema>;
export type Product = z.infer<typeof productSchema>;
export type Line = z.infer<typeof lineSchema>;
export type LineRoster = z.infer<typeof lineRosterSchema>;
export type FinancialPeriod = z.infer<typeof financialPeriodSchema>;

/** Validates master data; a mistake throws a KpiError listing every field at fault. */
export function parseMasterData(input: unknown): MasterData {
  const result = masterDataSchema.safeParse(input);
  if (!result.success) {
    throw new KpiError(
      'MEKONG_KPI_INVALID_MASTER_DATA',
      `invalid master data:\n${describeIssues(result.error.issues)}`,
      {
        cause: result.error,
      },
    );
  }
  return result.data;
}

/** JSON Schema (draft 2020-12) of the master-data file, for editors and the documentation. */
export function masterDataJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(masterDataSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
