import { z } from 'zod';
import { type CellAncestry, cellAncestry, enterpriseOf, siteOfLine } from './asset-path.js';
import { addCellTimeElements, type CellContext } from './cell-time-elements.js';
import { CellTimeline, isPlannedCode, isStopCode, stateCode } from './cell-timeline.js';
import { describeIssues, KpiError } from './errors.js';
import { checkEvent, type EventRejectionReason } from './event-check.js';
import { EventDeduplicator } from './event-deduplicator.js';
import type { KpiEvent } from './kpi-event.js';
import { buildKpiRecord } from './kpi-figures.js';
import { type KpiLevel, type KpiRecord, kpiLevelSchema, kpiLevels } from './kpi-record.js';
import { addTotals, emptyTotals, type KpiTotals, resetTotals, sumTotals } from './kpi-totals.js';
import {
  type CalendarWindowKind,
  createWindowCutter,
  financialPeriodOf,
  type KpiWindow,
  windowKindSchema,
} from './kpi-window.js';
import { addLineTimeElements, type LineContext, LineTimeline } from './line-labour.js';
import { type MasterDataInput, parseMasterData } from './master-data.js';
import { indexMasterData } from './master-index.js';
import type { ShiftPlan } from './shift-calendar.js';
import { type PeriodLabour, valueAddedFigures } from './value-added.js';

/**
 * The streaming KPI engine. Events come in any order; the watermark (event time up to which the caller
 * believes it has everything) closes windows.
 *
 * - An event older than watermark − allowed lateness is late: counted and reported, not used.
 * - A window is final once the watermark passes its end; an accepted late event that changes it
 *   re-emits it with the next revision number.
 * - Time is settled, and folded into per-window totals, once no accepted event can change it any more
 *   (before watermark − lateness, and not inside a stop still shorter than θ). A window is sealed and
 *   forgotten when all of it is settled.
 */

export const kpiEngineOptionsSchema = z
  .strictObject({
    windows: z
      .array(windowKindSchema)
      .min(1)
      .default(['hour', 'shift', 'day'])
      .describe('Window kinds to report; `range` needs `range`.'),
    range: z
      .strictObject({ fromMs: z.number().int(), toMs: z.number().int() })
      .optional()
      .describe('The explicit window of kind `range`, epoch ms.'),
    levels: z
      .array(kpiLevelSchema)
      .min(1)
      .default([...kpiLevels]),
    allowedLatenessMs: z.number().int().nonnegative().default(60_000),
    startMs: z
      .number()
      .int()
      .optional()
      .describe('Accounting starts here (epoch ms); default: the minute of the first accepted event.'),
    endMs: z.number().int().optional().describe('Accounting stops here (epoch ms); default: never.'),
    emitProvisional: z
      .boolean()
      .default(false)
      .describe('advanceWatermark also returns changed provisional records of open windows.'),
    maxRejectionsKept: z.number().int().nonnegative().default(1000),
  })
  .superRefine((options, context) => {
    if (options.windows.includes('range') && options.range === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['range'],
        message: 'window `range` needs range.fromMs and range.toMs',
      });
    }
    if (options.range !== undefined && options.range.toMs <= options.range.fromMs) {
      context.addIssue({ code: 'custom', path: ['range'], message: 'range.toMs must be after range.fromMs' });
    }
  });
export type KpiEngineOptionsInput = z.input<typeof kpiEngineOptionsSchema>;
export type KpiEngineOptions = z.infer<typeof kpiEngineOptionsSchema>;

export type IngestOutcome =
  | { outcome: 'accepted'; sequenceReset: boolean }
  | { outcome: 'duplicate' }
  | { outcome: 'late'; lateByMs: number }
  | { outcome: 'rejected'; reason: EventRejectionReason };

export interface RejectedEvent {
  reason: EventRejectionReason | 'late';
  kind: string;
  path: string;
  tsMs: number;
  publisher: string;
  seq: number;
}

export interface KpiEngineStats {
  accepted: number;
  duplicates: number;
  late: number;
  sequenceResets: number;
  rejected: Partial<Record<EventRejectionReason, number>>;
  cells: number;
  lines: number;
  openWindows: number;
  watermarkMs: number;
}

export interface KpiEngine {
  /** Takes one event; bad data comes back as an outcome, never as an exception. */
  ingest(event: KpiEvent): IngestOutcome;
  /**
   * Moves event time forward (a smaller value is ignored) and returns the records that became final or
   * changed (plus changed provisional ones with `emitProvisional`).
   */
  advanceWatermark(watermarkMs: number): KpiRecord[];
  /** The current record of every window not yet sealed, provisional ones included. */
  records(): KpiRecord[];
  /**
   * Declares the input complete up to `horizonMs` (default: the latest event or watermark): all time
   * until then is settled and every window is emitted as final. For batch use.
   */
  finish(horizonMs?: number): KpiRecord[];
  stats(): KpiEngineStats;
  /** The most recent rejected and late events (at most `maxRejectionsKept`). */
  rejections(): readonly RejectedEvent[];
}

interface CellEntry {
  ancestry: CellAncestry;
  timeline: CellTimeline;
  context: CellContext;
  firstEventMs: number;
  settledMs: number;
  /**
   * Settled time not yet added to the totals of `pendingWindows`. For speed only: a cell's settled
   * time is summed here step after step and added to its (usually three) windows when it moves on to
   * other windows, or before window totals are read (`flushPendingCells`), instead of three additions
   * per cell at every watermark step. Sums of integers, so the totals come out the same.
   */
  pending: KpiTotals | null;
  pendingWindows: readonly WindowEntry[];
}

interface LineEntry {
  path: string;
  timeline: LineTimeline;
  context: LineContext;
  firstEventMs: number;
  settledMs: number;
}

interface EmittedState {
  revision: number;
  signature: string;
}

interface WindowEntry {
  key: string;
  window: KpiWindow;
  /** Calendar whose shifts cut this window, for `shift` windows. */
  calendarId: string | null;
  cells: Map<string, KpiTotals>;
  lines: Map<string, KpiTotals>;
  emitted: Map<string, EmittedState>;
  finalEmitted: boolean;
  hadPendingStop: boolean;
}

// Shared, frozen outcomes: one allocation fewer per event on the hot path.
const acceptedOutcome: IngestOutcome = Object.freeze({ outcome: 'accepted', sequenceReset: false });
const acceptedAfterResetOutcome: IngestOutcome = Object.freeze({ outcome: 'accepted', sequenceReset: true });
const duplicateOutcome: IngestOutcome = Object.freeze({ outcome: 'duplicate' });

const noWindows: readonly WindowEntry[] = [];

function sameWindows(a: readonly WindowEntry[], b: readonly WindowEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function rejectionOf(event: KpiEvent, reason: RejectedEvent['reason']): RejectedEvent {
  return {
    reason,
    kind: String(event.kind),
    path: String(event.path),
    tsMs: event.tsMs,
    publisher: String(event.publisher),
    seq: event.seq,
  };
}

export function createKpiEngine(
  masterInput: MasterDataInput,
  optionsInput: KpiEngineOptionsInput = {},
): KpiEngine {
  const master = parseMasterData(masterInput);
  const parsedOptions = kpiEngineOptionsSchema.safeParse(optionsInput);
  if (!parsedOptions.success) {
    throw new KpiError(
      'MEKONG_KPI_INVALID_OPTIONS',
      `invalid engine options:\n${describeIssues(parsedOptions.error.issues)}`,
    );
  }
  const options = parsedOptions.data;
  const index = indexMasterData(master);
  const cutter = createWindowCutter(index.timeZone);
  const calendarKinds = options.windows.filter((kind): kind is CalendarWindowKind => kind !== 'range');
  const range = options.windows.includes('range') ? (options.range ?? null) : null;
  const levels = new Set<KpiLevel>(options.levels);
  const lateness = options.allowedLatenessMs;
  const endLimitMs = options.endMs ?? Number.POSITIVE_INFINITY;

  const cells = new Map<string, CellEntry>();
  const lines = new Map<string, LineEntry>();
  const known = { cells, lines };
  const windows = new Map<string, WindowEntry>();
  const deduplicator = new EventDeduplicator();
  const rejected: RejectedEvent[] = [];
  const periodLabour = new Map<string, PeriodLabour>();
  const counters = { accepted: 0, duplicates: 0, late: 0, sequenceResets: 0 };
  const rejectedByReason: Partial<Record<EventRejectionReason, number>> = {};

  let watermarkMs = Number.NEGATIVE_INFINITY;
  let startMs: number | null = options.startMs ?? null;
  let latestEventMs = Number.NEGATIVE_INFINITY;
  let dirtyFromMs = Number.POSITIVE_INFINITY;
  let dedupForgottenBeforeMs = Number.NEGATIVE_INFINITY;

  function remember(entry: RejectedEvent): void {
    if (options.maxRejectionsKept === 0) return;
    if (rejected.length >= options.maxRejectionsKept) rejected.shift();
    rejected.push(entry);
  }

  function lineEntry(linePath: string, firstEventMs: number): LineEntry {
    let line = lines.get(linePath);
    if (line === undefined) {
      line = {
        path: linePath,
        timeline: new LineTimeline(),
        context: index.lineContext(linePath),
        firstEventMs,
        settledMs: startMs ?? firstEventMs,
      };
      lines.set(linePath, line);
    }
    line.firstEventMs = Math.min(line.firstEventMs, firstEventMs);
    return line;
  }

  function cellEntry(cellPath: string, firstEventMs: number): CellEntry {
    let cell = cells.get(cellPath);
    if (cell === undefined) {
      const ancestry = cellAncestry(cellPath)!;
      cell = {
        ancestry,
        timeline: new CellTimeline(index.silenceGapMs !== null),
        context: index.cellContext(cellPath),
        firstEventMs,
        settledMs: startMs ?? firstEventMs,
        pending: null,
        pendingWindows: noWindows,
      };
      cells.set(cellPath, cell);
      lineEntry(ancestry.line, firstEventMs);
    } else if (firstEventMs < cell.firstEventMs) {
      cell.firstEventMs = firstEventMs;
      lineEntry(cell.ancestry.line, firstEventMs);
    }
    return cell;
  }

  function ingest(event: KpiEvent): IngestOutcome {
    const reason = checkEvent(event, known);
    if (reason !== null) {
      rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
      remember(rejectionOf(event, reason));
      return { outcome: 'rejected', reason };
    }
    const lateByMs = watermarkMs - lateness - event.tsMs;
    if (lateByMs > 0) {
      counters.late++;
      remember(rejectionOf(event, 'late'));
      return { outcome: 'late', lateByMs };
    }
    const verdict = deduplicator.check(event.publisher, event.seq, event.tsMs);
    if (verdict === 'duplicate') {
      counters.duplicates++;
      return duplicateOutcome;
    }
    if (verdict === 'sequence_reset') counters.sequenceResets++;
    if (startMs === null) startMs = Math.floor(event.tsMs / 60_000) * 60_000;
    counters.accepted++;
    latestEventMs = Math.max(latestEventMs, event.tsMs);
    let changedFromMs = event.tsMs;
    if (event.kind === 'labour') {
      lineEntry(event.path, event.tsMs).timeline.insert(event);
    } else {
      const cell = cellEntry(event.path, event.tsMs);
      if (event.kind === 'state') {
        // A new state can end or extend the stop in force before it, whose class (DOWN or MINOR) is
        // decided by its whole length: everything since that stop began may change.
        // Likewise a failure going on before it (a run of `down` states that planned states do not
        // end): whether it counts, and where, is decided by all of it.
        const before = cell.timeline.stateIndexAt(event.tsMs - 1);
        if (before >= 0) {
          if (isStopCode(cell.timeline.stateCodes[before]!)) {
            changedFromMs = Math.min(changedFromMs, cell.timeline.stopStartAt(before));
          }
          const failureStartMs = cell.timeline.failureStartAt(before);
          if (failureStartMs !== null) changedFromMs = Math.min(changedFromMs, failureStartMs);
        }
        cell.timeline.insertState(event);
      } else {
        // A count holds the units made before its stamp: it changes the window holding tsMs − 1.
        changedFromMs = event.tsMs - 1;
        cell.timeline.insertCount(event);
      }
    }
    dirtyFromMs = Math.min(dirtyFromMs, changedFromMs);
    return verdict === 'sequence_reset' ? acceptedAfterResetOutcome : acceptedOutcome;
  }

  // ---- windows -------------------------------------------------------------------------------------

  function windowKey(window: KpiWindow, calendarId: string | null): string {
    return `${window.kind}|${calendarId ?? ''}|${window.startMs}`;
  }

  function clipped(window: KpiWindow): KpiWindow {
    const from = Math.max(window.startMs, startMs ?? window.startMs);
    const to = Math.min(window.endMs, endLimitMs);
    return from === window.startMs && to === window.endMs ? window : { ...window, startMs: from, endMs: to };
  }

  function windowsAt(atMs: number, plan: ShiftPlan): { window: KpiWindow; calendarId: string | null }[] {
    const found: { window: KpiWindow; calendarId: string | null }[] = [];
    for (const kind of calendarKinds) {
      const window = cutter.containing(kind, atMs, plan);
      if (window !== null) found.push({ window, calendarId: kind === 'shift' ? plan.calendarId : null });
    }
    if (range !== null && atMs >= range.fromMs && atMs < range.toMs) {
      found.push({ window: { kind: 'range', startMs: range.fromMs, endMs: range.toMs }, calendarId: null });
    }
    return found;
  }

  function nextBoundary(atMs: number, limitMs: number, plan: ShiftPlan): number {
    let next = limitMs;
    for (const kind of calendarKinds) next = Math.min(next, cutter.nextBoundaryAfter(kind, atMs, plan));
    if (range !== null) {
      if (atMs < range.fromMs) next = Math.min(next, range.fromMs);
      else if (atMs < range.toMs) next = Math.min(next, range.toMs);
    }
    return next;
  }

  function windowEntry(window: KpiWindow, calendarId: string | null): WindowEntry {
    const key = windowKey(window, calendarId);
    let entry = windows.get(key);
    if (entry === undefined) {
      entry = {
        key,
        window: clipped(window),
        calendarId,
        cells: new Map(),
        lines: new Map(),
        emitted: new Map(),
        finalEmitted: false,
        hadPendingStop: false,
      };
      windows.set(key, entry);
    }
    return entry;
  }

  /** A stretch of time that no window boundary cuts, and the windows it belongs to. */
  interface Stretch {
    startMs: number;
    endMs: number;
    entries: WindowEntry[];
  }

  /**
   * The stretch of a plan's windows from `atMs` on. At each watermark step every cell of a calendar
   * settles the same few seconds, so one settle pass looks the windows up once per calendar and stretch
   * (`stretches` is its memo), not once per cell: window entries stay valid until `seal` runs.
   */
  function stretchAt(plan: ShiftPlan, atMs: number, stretches: Map<ShiftPlan, Stretch>): Stretch {
    const known = stretches.get(plan);
    if (known !== undefined && known.startMs <= atMs && atMs < known.endMs) return known;
    const stretch: Stretch = {
      startMs: atMs,
      endMs: nextBoundary(atMs, Number.POSITIVE_INFINITY, plan),
      entries: windowsAt(atMs, plan).map(({ window, calendarId }) => windowEntry(window, calendarId)),
    };
    stretches.set(plan, stretch);
    return stretch;
  }

  // One scratch totals object for the pieces of lines being folded, instead of a new one (seven
  // collections) per line, window piece and watermark step.
  const piece = emptyTotals();

  function addPiece(byPath: Map<string, KpiTotals>, path: string): void {
    const existing = byPath.get(path);
    if (existing === undefined) byPath.set(path, addTotals(emptyTotals(), piece));
    else addTotals(existing, piece);
  }

  /** Adds [fromMs, toMs) of one cell, cut at every window boundary, into the window totals. */
  function foldCell(
    path: string,
    cell: CellEntry,
    fromMs: number,
    toMs: number,
    horizonMs: number,
    stretches: Map<ShiftPlan, Stretch>,
  ): void {
    for (let atMs = fromMs; atMs < toMs; ) {
      const stretch = stretchAt(cell.context.plan, atMs, stretches);
      const pieceEndMs = Math.min(stretch.endMs, toMs);
      if (stretch.entries.length > 0) {
        if (!sameWindows(cell.pendingWindows, stretch.entries)) {
          flushPending(path, cell);
          cell.pendingWindows = stretch.entries;
        }
        cell.pending ??= emptyTotals();
        addCellTimeElements(cell.pending, cell.timeline, cell.context, atMs, pieceEndMs, horizonMs);
      }
      atMs = pieceEndMs;
    }
  }

  /** Adds a cell's pending settled time to its windows (creating its totals there, even if empty). */
  function flushPending(path: string, cell: CellEntry): void {
    if (cell.pendingWindows.length === 0 || cell.pending === null) return;
    for (const entry of cell.pendingWindows) {
      const existing = entry.cells.get(path);
      if (existing === undefined) entry.cells.set(path, addTotals(emptyTotals(), cell.pending));
      else addTotals(existing, cell.pending);
    }
    resetTotals(cell.pending);
    cell.pendingWindows = noWindows;
  }

  /** Brings every window's settled cell totals up to date: before anything reads them. */
  function flushPendingCells(): void {
    for (const [path, cell] of cells) flushPending(path, cell);
  }

  /** Adds [fromMs, toMs) of one line's own elements, cut at every window boundary, into the window totals. */
  function foldLine(
    line: LineEntry,
    fromMs: number,
    toMs: number,
    horizonMs: number,
    stretches: Map<ShiftPlan, Stretch>,
  ): void {
    for (let atMs = fromMs; atMs < toMs; ) {
      const stretch = stretchAt(line.context.plan, atMs, stretches);
      const pieceEndMs = Math.min(stretch.endMs, toMs);
      if (stretch.entries.length > 0) {
        resetTotals(piece);
        addLineTimeElements(piece, line.timeline, line.context, atMs, pieceEndMs, horizonMs);
        for (const entry of stretch.entries) addPiece(entry.lines, line.path);
      }
      atMs = pieceEndMs;
    }
  }

  /**
   * Where a cell's time stops being settled: `targetMs`; or the start of a stop still below θ; or the
   * start of a failure going on none of whose stops has reached θ yet (it may still become one, counted
   * in the window of its start).
   */
  function cellSettleTarget(cell: CellEntry, targetMs: number): number {
    const timeline = cell.timeline;
    const stateIndex = timeline.stateIndexAt(targetMs - 1);
    if (stateIndex < 0) return targetMs;
    const code = timeline.stateCodes[stateIndex]!;
    const thetaMs = cell.context.minorStopThresholdMs;
    if (isStopCode(code)) {
      const stopStartMs = timeline.stopStartAt(stateIndex);
      if (targetMs - stopStartMs < thetaMs) {
        const failureStartMs =
          code === stateCode.down ? undecidedFailureStart(timeline, stateIndex, targetMs, thetaMs) : null;
        return Math.max(cell.settledMs, Math.min(stopStartMs, failureStartMs ?? stopStartMs));
      }
    } else if (isPlannedCode(code)) {
      const failureStartMs = undecidedFailureStart(timeline, stateIndex, targetMs, thetaMs);
      if (failureStartMs !== null) return Math.max(cell.settledMs, failureStartMs);
    }
    return targetMs;
  }

  /**
   * The start of the failure going on at `stateIndex` when none of its stops up to `atMs` has lasted θ,
   * else null. One that began before the kept states has such a stop (settling never passed its start).
   */
  function undecidedFailureStart(
    timeline: CellTimeline,
    stateIndex: number,
    atMs: number,
    thetaMs: number,
  ): number | null {
    const first = timeline.failureFirstIndex(stateIndex);
    if (first < 0) return null;
    let stopStartMs: number | null = null;
    for (let index = first; index <= stateIndex; index++) {
      if (timeline.isSuperseded(index)) continue;
      const code = timeline.stateCodes[index]!;
      if (isStopCode(code)) {
        stopStartMs ??= timeline.stopStartAt(index);
        continue;
      }
      if (stopStartMs !== null && timeline.stateTs[index]! - stopStartMs >= thetaMs) return null;
      stopStartMs = null;
    }
    if (stopStartMs !== null && atMs - stopStartMs >= thetaMs) return null;
    return timeline.stateTs[first]!;
  }

  function settle(limitMs: number, horizonMs: number, settleAllStops: boolean): void {
    if (startMs === null) return;
    const capMs = Math.min(limitMs, endLimitMs);
    // A count accepted at exactly watermark − lateness belongs to the time before it: while more events
    // may come, cells settle 1 ms short of the limit.
    const cellCapMs = settleAllStops || endLimitMs < limitMs ? capMs : limitMs - 1;
    const stretches = new Map<ShiftPlan, Stretch>();
    for (const [path, cell] of cells) {
      const targetMs = settleAllStops ? capMs : cellSettleTarget(cell, cellCapMs);
      const fromMs = Math.max(cell.settledMs, cell.firstEventMs, startMs);
      if (targetMs > fromMs) foldCell(path, cell, fromMs, targetMs, horizonMs, stretches);
      if (targetMs > cell.settledMs) {
        cell.settledMs = targetMs;
        cell.timeline.prune(targetMs);
      }
    }
    for (const line of lines.values()) {
      const fromMs = Math.max(line.settledMs, line.firstEventMs, startMs);
      if (capMs > fromMs) foldLine(line, fromMs, capMs, horizonMs, stretches);
      if (capMs > line.settledMs) {
        line.settledMs = capMs;
        line.timeline.prune(capMs);
      }
    }
  }

  function belongsTo(entry: WindowEntry, plan: ShiftPlan): boolean {
    return entry.window.kind !== 'shift' || plan.calendarId === entry.calendarId;
  }

  /** Settled totals of a window plus whatever of it is not settled yet, computed now. */
  function currentTotals(
    entry: WindowEntry,
    horizonMs: number,
  ): { cells: Map<string, KpiTotals>; lines: Map<string, KpiTotals> } {
    flushPendingCells();
    const untilMs = Math.min(entry.window.endMs, horizonMs);
    const cellTotals = new Map<string, KpiTotals>();
    for (const [path, cell] of cells) {
      if (!belongsTo(entry, cell.context.plan)) continue;
      const settled = entry.cells.get(path);
      const fromMs = Math.max(entry.window.startMs, cell.settledMs, cell.firstEventMs);
      if (fromMs >= untilMs) {
        if (settled !== undefined) cellTotals.set(path, settled);
        continue;
      }
      const totals = settled === undefined ? emptyTotals() : sumTotals([settled]);
      addCellTimeElements(totals, cell.timeline, cell.context, fromMs, untilMs, horizonMs);
      cellTotals.set(path, totals);
    }
    const lineTotals = new Map<string, KpiTotals>();
    for (const [path, line] of lines) {
      if (!belongsTo(entry, line.context.plan)) continue;
      const settled = entry.lines.get(path);
      const fromMs = Math.max(entry.window.startMs, line.settledMs, line.firstEventMs);
      if (fromMs >= untilMs) {
        if (settled !== undefined) lineTotals.set(path, settled);
        continue;
      }
      const totals = settled === undefined ? emptyTotals() : sumTotals([settled]);
      addLineTimeElements(totals, line.timeline, line.context, fromMs, untilMs, horizonMs);
      lineTotals.set(path, totals);
    }
    return { cells: cellTotals, lines: lineTotals };
  }

  /**
   * Builds the records of one window at every requested level; a record that differs from the one last
   * built for the same window and path gets the next revision and is listed as changed.
   */
  function recordsOf(
    entry: WindowEntry,
    horizonMs: number,
    status: 'provisional' | 'final',
    commit = true,
  ): { all: KpiRecord[]; changed: KpiRecord[] } {
    const current = currentTotals(entry, horizonMs);
    const observedMs = Math.max(0, Math.min(entry.window.endMs, horizonMs) - entry.window.startMs);
    const period = financialPeriodOf(entry.window, index.timeZone);
    const groups = new Map<string, { level: KpiLevel; totals: KpiTotals }>();
    const addTo = (level: KpiLevel, path: string, totals: KpiTotals): void => {
      if (!levels.has(level)) return;
      const key = `${level}|${path}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { level, totals: sumTotals([totals]) });
      else addTotals(group.totals, totals);
    };
    let pending = false;
    for (const [path, totals] of current.cells) {
      const family = cells.get(path)!.ancestry;
      // A stop still below θ, or settling held back (a failure whose stops have not reached θ yet may
      // still become one): the record may change with no new event, so it is looked at again.
      if (totals.pendingStopMs > 0 || cells.get(path)!.settledMs < entry.window.endMs) pending = true;
      addTo('cell', path, totals);
      addTo('line', family.line, totals);
      addTo('site', family.site, totals);
      addTo('enterprise', family.enterprise, totals);
    }
    for (const [path, totals] of current.lines) {
      addTo('line', path, totals);
      addTo('site', siteOfLine(path), totals);
      addTo('enterprise', enterpriseOf(path), totals);
    }
    if (commit) entry.hadPendingStop = pending;
    const all: KpiRecord[] = [];
    const changed: KpiRecord[] = [];
    for (const [key, { level, totals }] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const path = key.slice(level.length + 1);
      let valueAdded = null;
      if (level !== 'cell') {
        const measured: PeriodLabour = {
          labourHours: totals.labourMs / 3_600_000,
          averageHeadcount: observedMs > 0 ? totals.headcountMs / observedMs : null,
        };
        const yearBefore =
          period === null
            ? null
            : (periodLabour.get(`${path}|${Number(period.slice(0, 4)) - 1}${period.slice(4)}`) ?? null);
        valueAdded = valueAddedFigures(master.financials, path, period, measured, yearBefore);
        if (period !== null && status === 'final' && commit) periodLabour.set(`${path}|${period}`, measured);
      }
      const draft = buildKpiRecord(totals, {
        level,
        path,
        window: entry.window,
        status,
        revision: 0,
        timeZone: index.timeZone,
        observedMs,
        valueAdded,
      });
      const signature = JSON.stringify(draft);
      const previous = entry.emitted.get(key);
      if (previous !== undefined && previous.signature === signature) {
        all.push({ ...draft, revision: previous.revision });
        continue;
      }
      const revision = previous === undefined ? 0 : previous.revision + 1;
      // A snapshot (records()) shows the revision the next emission will carry, without using it up.
      if (commit) entry.emitted.set(key, { revision, signature });
      const record = { ...draft, revision };
      all.push(record);
      changed.push(record);
    }
    return { all, changed };
  }

  function emit(horizonMs: number, includeProvisional: boolean, finalUntilMs: number): KpiRecord[] {
    const emitted: KpiRecord[] = [];
    const ordered = [...windows.values()].sort(
      (a, b) => a.window.endMs - b.window.endMs || a.window.startMs - b.window.startMs,
    );
    for (const entry of ordered) {
      const isFinal = entry.window.endMs <= finalUntilMs;
      if (isFinal) {
        if (!entry.finalEmitted || entry.window.endMs > dirtyFromMs || entry.hadPendingStop) {
          emitted.push(...recordsOf(entry, horizonMs, 'final').changed);
          entry.finalEmitted = true;
        }
      } else if (includeProvisional && entry.window.startMs < horizonMs) {
        emitted.push(...recordsOf(entry, horizonMs, 'provisional').changed);
      }
    }
    return emitted;
  }

  /** Forgets windows whose every part is settled, once their final record is out. */
  function seal(): void {
    let settledEverywhereMs = Number.POSITIVE_INFINITY;
    for (const cell of cells.values()) settledEverywhereMs = Math.min(settledEverywhereMs, cell.settledMs);
    for (const line of lines.values()) settledEverywhereMs = Math.min(settledEverywhereMs, line.settledMs);
    for (const [key, entry] of windows) {
      if (entry.finalEmitted && entry.window.endMs <= settledEverywhereMs && !entry.hadPendingStop)
        windows.delete(key);
    }
    const forgetBeforeMs = watermarkMs - lateness;
    if (forgetBeforeMs - dedupForgottenBeforeMs >= 60_000) {
      deduplicator.forgetBefore(forgetBeforeMs);
      dedupForgottenBeforeMs = forgetBeforeMs;
    }
  }

  /** Makes sure windows exist for the open stretch up to the horizon, so that they are reported. */
  function openWindowsUntil(untilMs: number): void {
    if (startMs === null) return;
    const plans = new Map<string | null, { plan: ShiftPlan; fromMs: number }>();
    for (const timeline of [...cells.values(), ...lines.values()]) {
      const plan = timeline.context.plan;
      const fromMs = Math.max(timeline.settledMs, timeline.firstEventMs);
      const known = plans.get(plan.calendarId);
      if (known === undefined || fromMs < known.fromMs) plans.set(plan.calendarId, { plan, fromMs });
    }
    for (const { plan, fromMs } of plans.values()) {
      for (let atMs = fromMs; atMs < untilMs; atMs = nextBoundary(atMs, untilMs, plan)) {
        for (const { window, calendarId } of windowsAt(atMs, plan)) windowEntry(window, calendarId);
      }
    }
  }

  function advanceWatermark(nextWatermarkMs: number): KpiRecord[] {
    if (nextWatermarkMs > watermarkMs) watermarkMs = nextWatermarkMs;
    if (startMs === null) return [];
    settle(watermarkMs - lateness, watermarkMs, false);
    openWindowsUntil(Math.min(watermarkMs, endLimitMs));
    const emitted = emit(watermarkMs, options.emitProvisional, watermarkMs);
    dirtyFromMs = Number.POSITIVE_INFINITY;
    seal();
    return emitted;
  }

  function records(): KpiRecord[] {
    if (startMs === null) return [];
    openWindowsUntil(Math.min(watermarkMs, endLimitMs));
    const snapshot: KpiRecord[] = [];
    for (const entry of [...windows.values()].sort((a, b) => a.window.endMs - b.window.endMs)) {
      if (entry.window.startMs >= watermarkMs) continue;
      const status = entry.window.endMs <= watermarkMs ? 'final' : 'provisional';
      snapshot.push(...recordsOf(entry, watermarkMs, status, false).all);
    }
    return snapshot;
  }

  function finish(horizonMs?: number): KpiRecord[] {
    if (startMs === null) return [];
    // The watermark already vouched for the time before it; the input cannot end earlier than that.
    const horizon = Math.max(horizonMs ?? latestEventMs, watermarkMs);
    const endMs = Math.min(horizon, endLimitMs);
    watermarkMs = Math.max(watermarkMs, endMs);
    settle(endMs, horizon, true);
    openWindowsUntil(endMs);
    const emitted = emit(horizon, true, endMs);
    dirtyFromMs = Number.POSITIVE_INFINITY;
    seal();
    return emitted;
  }

  function stats(): KpiEngineStats {
    return {
      ...counters,
      rejected: { ...rejectedByReason },
      cells: cells.size,
      lines: lines.size,
      openWindows: windows.size,
      watermarkMs,
    };
  }

  return { ingest, advanceWatermark, records, finish, stats, rejections: () => [...rejected] };
}
