import { z } from 'zod';
import { describeIssues, KpiError } from './errors.js';
import { createKpiEngine, type KpiEngineStats, type RejectedEvent } from './kpi-engine.js';
import type { KpiEvent } from './kpi-event.js';
import { type KpiRecord, kpiLevelSchema, kpiLevels } from './kpi-record.js';
import { windowKindSchema } from './kpi-window.js';
import type { MasterDataInput } from './master-data.js';

/**
 * Batch KPIs over a finished recording: the streaming engine with every event known in advance, so
 * every record is final. Used by the offline `mekong kpi` command.
 */

const instantSchema = z
  .union([
    z.number().int(),
    z.string().refine((text) => !Number.isNaN(Date.parse(text)), {
      message: 'expected an RFC 3339 time with offset',
    }),
  ])
  .transform((value) => (typeof value === 'number' ? value : Date.parse(value)))
  .describe('Epoch milliseconds, or RFC 3339 text with an offset such as 2026-03-02T06:00:00+07:00.');

export const computeKpisOptionsSchema = z
  .strictObject({
    from: instantSchema,
    to: instantSchema,
    window: z.union([windowKindSchema, z.array(windowKindSchema).min(1)]).default('range'),
    level: z.union([kpiLevelSchema, z.array(kpiLevelSchema).min(1)]).default([...kpiLevels]),
    dataEndMs: z
      .number()
      .int()
      .optional()
      .describe('Until when the recording is complete; default the later of `to` and the last event.'),
  })
  .refine((options) => options.to > options.from, { message: '`to` must be after `from`', path: ['to'] });
export type ComputeKpisOptionsInput = z.input<typeof computeKpisOptionsSchema>;

export interface ComputedKpis {
  records: KpiRecord[];
  rejected: readonly RejectedEvent[];
  stats: KpiEngineStats;
}

const levelOrder = new Map(kpiLevels.map((level, position) => [level, position]));

export function computeKpis(
  events: Iterable<KpiEvent>,
  master: MasterDataInput,
  optionsInput: ComputeKpisOptionsInput,
): ComputedKpis {
  const parsed = computeKpisOptionsSchema.safeParse(optionsInput);
  if (!parsed.success) {
    throw new KpiError(
      'MEKONG_KPI_INVALID_OPTIONS',
      `invalid options:\n${describeIssues(parsed.error.issues)}`,
    );
  }
  const { from, to, dataEndMs } = parsed.data;
  const windows = Array.isArray(parsed.data.window) ? parsed.data.window : [parsed.data.window];
  const levels = Array.isArray(parsed.data.level) ? parsed.data.level : [parsed.data.level];
  const engine = createKpiEngine(master, {
    windows,
    ...(windows.includes('range') ? { range: { fromMs: from, toMs: to } } : {}),
    levels,
    startMs: from,
    endMs: to,
    allowedLatenessMs: 0,
    maxRejectionsKept: Number.MAX_SAFE_INTEGER,
  });
  let lastEventMs = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    engine.ingest(event);
    if (Number.isFinite(event.tsMs)) lastEventMs = Math.max(lastEventMs, event.tsMs);
  }
  const records = engine.finish(dataEndMs ?? Math.max(to, lastEventMs));
  records.sort(
    (a, b) =>
      a.fromMs - b.fromMs ||
      levelOrder.get(a.level)! - levelOrder.get(b.level)! ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      (a.window < b.window ? -1 : a.window > b.window ? 1 : 0),
  );
  return { records, rejected: engine.rejections(), stats: engine.stats() };
}
