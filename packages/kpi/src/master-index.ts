import { cellAncestry } from './asset-path.js';
import type { CellContext } from './cell-time-elements.js';
import type { LineContext } from './line-labour.js';
import type { Line, MasterData } from './master-data.js';
import { alwaysScheduledPlan, compileShiftCalendar, type ShiftPlan } from './shift-calendar.js';

/** Master data compiled for lookups by cell and line path. */
export interface MasterIndex {
  readonly master: MasterData;
  readonly timeZone: string;
  readonly minorStopThresholdMs: number;
  readonly silenceGapMs: number | null;
  cellContext(cellPath: string): CellContext;
  lineContext(linePath: string): LineContext;
  planOfLine(linePath: string): ShiftPlan;
}

export function indexMasterData(master: MasterData): MasterIndex {
  const plans = new Map<string, ShiftPlan>(
    master.calendars.map((calendar) => [calendar.id, compileShiftCalendar(calendar, master.timezone)]),
  );
  const linesByPath = new Map<string, Line>(master.lines.map((line) => [line.path, line]));
  const defaultIdealCycle = new Map(
    master.products.map((product) => [product.id, product.idealCycleSeconds]),
  );
  const idealCycleByCell = new Map<string, Map<string, number>>();
  for (const product of master.products) {
    for (const override of product.cells) {
      let byProduct = idealCycleByCell.get(override.path);
      if (byProduct === undefined) {
        byProduct = new Map();
        idealCycleByCell.set(override.path, byProduct);
      }
      byProduct.set(product.id, override.idealCycleSeconds);
    }
  }
  const minorStopThresholdMs = master.minorStopThresholdSeconds * 1000;
  const silenceGapMs = master.silenceGapSeconds === undefined ? null : master.silenceGapSeconds * 1000;
  const cellContexts = new Map<string, CellContext>();
  const lineContexts = new Map<string, LineContext>();

  function planOfLine(linePath: string): ShiftPlan {
    const calendarId = linesByPath.get(linePath)?.calendar ?? master.defaultCalendar;
    return (calendarId === undefined ? undefined : plans.get(calendarId)) ?? alwaysScheduledPlan();
  }

  function cellContext(cellPath: string): CellContext {
    let context = cellContexts.get(cellPath);
    if (context === undefined) {
      const linePath = cellAncestry(cellPath)?.line ?? cellPath;
      const line = linesByPath.get(linePath);
      const overrides = idealCycleByCell.get(cellPath);
      context = {
        minorStopThresholdMs,
        silenceGapMs,
        plan: planOfLine(linePath),
        idealCycleSeconds: (product) => overrides?.get(product) ?? defaultIdealCycle.get(product),
        isBottleneck: line?.bottleneckCell === cellPath,
        countsAsLineOutput: line?.outputCell === undefined || line.outputCell === cellPath,
      };
      cellContexts.set(cellPath, context);
    }
    return context;
  }

  function lineContext(linePath: string): LineContext {
    let context = lineContexts.get(linePath);
    if (context === undefined) {
      const line = linesByPath.get(linePath);
      const roster = line?.roster;
      context = {
        linePath,
        plan: planOfLine(linePath),
        hasBottleneck: line?.bottleneckCell !== undefined,
        hasOutputCell: line?.outputCell !== undefined,
        rosterHeadcount: roster?.headcount ?? roster?.workers?.length ?? null,
        labourSource: roster?.labourSource ?? 'auto',
      };
      lineContexts.set(linePath, context);
    }
    return context;
  }

  return {
    master,
    timeZone: master.timezone,
    minorStopThresholdMs,
    silenceGapMs,
    cellContext,
    lineContext,
    planOfLine,
  };
}
