import type { Schedule, TruthWindow } from '../core/schedule.js';
import type { Plan, PlanLine } from '../scenario/expand-scenario.js';
import { formatRfc3339 } from '../time/rfc3339.js';
import type { Zone } from '../time/zone.js';
import type { Totals } from './totals.js';
import { addTotals, emptyTotals } from './totals.js';
import { toTruthRow } from './truth-row.js';
import type { TruthSink } from './truth-sink.js';

interface Pending {
  totals: Totals;
  remaining: number;
  cells: number;
  from: number;
  to: number;
}

/**
 * Rolls closed cell windows up into lines and sites, by summing times and counts (never ratios), and
 * hands each finished row to the sink. A line window is finished when all its cells and its labour
 * publisher closed it; a site window when every line whose calendar has that window finished it.
 */
export class TruthHub {
  private readonly lineWindows: Map<number, Pending>[];
  private readonly siteWindows: Map<string, Pending>[];
  private readonly siteExpected: Map<string, number>[];

  constructor(
    private readonly plan: Plan,
    private readonly schedules: readonly Schedule[],
    private readonly sink: TruthSink,
    private readonly cellRows: boolean,
  ) {
    this.lineWindows = plan.lines.map(() => new Map());
    this.siteWindows = plan.sites.map(() => new Map());
    this.siteExpected = plan.sites.map(() => new Map());
    for (const line of plan.lines) {
      const expected = this.siteExpected[line.site.index] as Map<string, number>;
      for (const window of this.scheduleOf(line).windows) {
        expected.set(window.key, (expected.get(window.key) ?? 0) + 1);
      }
    }
  }

  scheduleOf(line: PlanLine): Schedule {
    return this.schedules[line.index] as Schedule;
  }

  fault: TruthSink['fault'] = (record) => this.sink.fault(record);

  /** A cell finished a window: its row (if wanted) and its share of the line. */
  cellClosed(cellIndex: number, window: TruthWindow, totals: Totals): void {
    const cell = this.plan.cells[cellIndex];
    if (cell === undefined) return;
    const zone = cell.line.site.zone;
    if (this.cellRows) {
      this.sink.row(
        toTruthRow(
          {
            level: 'cell',
            path: `${this.plan.scenario.enterprise}/${cell.path}`,
            window: window.kind,
            key: window.key,
            from: formatRfc3339(window.from, zone),
            to: formatRfc3339(window.to, zone),
            cells: 1,
            hasLabour: false,
          },
          totals,
        ),
      );
    }
    this.lineContribution(cell.line, window, totals, 1);
  }

  /** The labour publisher of a line finished a window. */
  labourClosed(line: PlanLine, window: TruthWindow, labourMs: number): void {
    const totals = emptyTotals();
    totals.labourMs = labourMs;
    this.lineContribution(line, window, totals, 0);
  }

  private lineContribution(line: PlanLine, window: TruthWindow, totals: Totals, cells: number): void {
    const windows = this.lineWindows[line.index] as Map<number, Pending>;
    let pending = windows.get(window.index);
    if (pending === undefined) {
      pending = {
        totals: emptyTotals(),
        remaining: line.cellCount + (line.workforce === undefined ? 0 : 1),
        cells: 0,
        from: window.from,
        to: window.to,
      };
      windows.set(window.index, pending);
    }
    addTotals(pending.totals, totals);
    pending.cells += cells;
    pending.remaining -= 1;
    if (pending.remaining > 0) return;
    windows.delete(window.index);
    const zone = line.site.zone;
    this.sink.row(
      toTruthRow(
        {
          level: 'line',
          path: `${this.plan.scenario.enterprise}/${line.path}`,
          window: window.kind,
          key: window.key,
          from: formatRfc3339(window.from, zone),
          to: formatRfc3339(window.to, zone),
          cells: pending.cells,
          hasLabour: true,
        },
        pending.totals,
      ),
    );
    this.siteContribution(line, window, pending);
  }

  private siteContribution(line: PlanLine, window: TruthWindow, line_: Pending): void {
    const site = line.site;
    const windows = this.siteWindows[site.index] as Map<string, Pending>;
    let pending = windows.get(window.key);
    if (pending === undefined) {
      pending = {
        totals: emptyTotals(),
        remaining: (this.siteExpected[site.index] as Map<string, number>).get(window.key) ?? 1,
        cells: 0,
        from: window.from,
        to: window.to,
      };
      windows.set(window.key, pending);
    }
    addTotals(pending.totals, line_.totals);
    pending.cells += line_.cells;
    pending.from = Math.min(pending.from, window.from);
    pending.to = Math.max(pending.to, window.to);
    pending.remaining -= 1;
    if (pending.remaining > 0) return;
    windows.delete(window.key);
    const zone: Zone = site.zone;
    this.sink.row(
      toTruthRow(
        {
          level: 'site',
          path: `${this.plan.scenario.enterprise}/${site.id}`,
          window: window.kind,
          key: window.key,
          from: formatRfc3339(pending.from, zone),
          to: formatRfc3339(pending.to, zone),
          cells: pending.cells,
          hasLabour: true,
        },
        pending.totals,
      ),
    );
  }
}
