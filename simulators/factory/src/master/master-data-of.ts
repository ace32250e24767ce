import type { MasterDataInput } from '@mekong/kpi';
import { parseMasterData } from '@mekong/kpi';
import type { CellBody, PlanCell, PlanLine } from '../scenario/expand-scenario.js';
import { expandScenario } from '../scenario/expand-scenario.js';
import type { CalendarSpec, Scenario } from '../scenario/schema.js';
import { WEEKDAYS } from '../scenario/schema.js';

/**
 * The KPI engine's master data (`@mekong/kpi`, what `mekong kpi --master` reads) for a scenario: what
 * the devices do not send. Derived from the scenario only, never from a run:
 *
 * - `timezone`: the sites' zone (one master-data file has one zone; pick a site when they differ).
 * - `products`: each product's ideal cycle time is the one most cells give it (the first seen on a tie);
 *   cells that give it another one are listed under `cells`.
 * - `minorStopThresholdSeconds`: the scenario's θ.
 * - `calendars`: every calendar a selected line uses, under its scenario name; shift ids are the shift
 *   names (the ground truth's window key is `<date>/<shift id>`), `nonWorkingWeekdays` the days that are
 *   not `workingDays`. `defaultCalendar` is the first selected site's calendar (when a line uses it); every line names its
 *   own.
 * - `lines`: the line's calendar; `bottleneckCell` = the cell with the longest ideal cycle time (mean
 *   over its products; the first in line order on a tie), for the engine's line bottleneck OEE, which the
 *   ground truth does not compute; `roster.headcount` = rostered people × shifts of the calendar, labour
 *   from clock events (the simulator's badge terminal). No `outputCell`: the simulator's cells are
 *   independent machines with no material flow between them, so a line's good units are the sum over
 *   its cells, as in the ground truth's units per labour hour (the engine flags this
 *   `line_output_summed_over_cells`).
 */
export interface MasterDataOptions {
  /** Multiplies every line's replica count, as `--scale` does for a run (default 1). */
  scale?: number;
  /** Only this site (its id); default every site, which must then share one time zone. */
  site?: string;
}

export class MasterDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterDataError';
  }
}

const WEEKDAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  sun: 'sunday',
  mon: 'monday',
  tue: 'tuesday',
  wed: 'wednesday',
  thu: 'thursday',
  fri: 'friday',
  sat: 'saturday',
};

function calendarOf(id: string, calendar: CalendarSpec): NonNullable<MasterDataInput['calendars']>[number] {
  const working = new Set(calendar.workingDays);
  return {
    id,
    shifts: calendar.shifts.map((shift) => ({
      id: shift.name,
      start: shift.start,
      end: shift.end,
      breaks: shift.breaks.map((pause) => ({ name: pause.name, start: pause.start, end: pause.end })),
    })),
    nonWorkingWeekdays: WEEKDAYS.filter((day) => !working.has(day)).map(
      (day) => WEEKDAY_NAMES[day],
    ) as NonNullable<MasterDataInput['calendars']>[number]['nonWorkingWeekdays'],
    holidays: [...calendar.holidays],
  };
}

function meanIdealCycle(body: CellBody): number {
  return body.products.reduce((sum, product) => sum + product.idealCycleTime, 0) / body.products.length;
}

/** The cell with the longest mean ideal cycle time; the first in line order on a tie. */
function bottleneckOf(cells: PlanCell[]): PlanCell | undefined {
  let best: PlanCell | undefined;
  let bestSeconds = Number.NEGATIVE_INFINITY;
  for (const cell of cells) {
    const seconds = meanIdealCycle(cell.body);
    if (seconds > bestSeconds) {
      best = cell;
      bestSeconds = seconds;
    }
  }
  return best;
}

export function masterDataOf(scenario: Scenario, options: MasterDataOptions = {}): MasterDataInput {
  const plan = expandScenario(scenario, { scale: options.scale ?? 1 });
  const sites = plan.sites.filter((site) => options.site === undefined || site.id === options.site);
  if (sites.length === 0) {
    throw new MasterDataError(
      `scenario ${scenario.name} has no site ${options.site} (sites: ${plan.sites.map((s) => s.id).join(', ')})`,
    );
  }
  const zones = [...new Set(sites.map((site) => site.zone.name))];
  if (zones.length > 1) {
    throw new MasterDataError(
      `the sites of scenario ${scenario.name} are in ${zones.join(', ')}: one master-data file has one time zone, so choose a site`,
    );
  }
  const siteIds = new Set(sites.map((site) => site.id));
  const lines = plan.lines.filter((line) => siteIds.has(line.site.id));
  const cells = plan.cells.filter((cell) => siteIds.has(cell.line.site.id));
  const enterprise = scenario.enterprise;

  // product → ideal cycle time → cell paths, in plan order.
  const byProduct = new Map<string, Map<number, string[]>>();
  for (const cell of cells) {
    for (const product of cell.body.products) {
      let times = byProduct.get(product.id);
      if (times === undefined) {
        times = new Map();
        byProduct.set(product.id, times);
      }
      const paths = times.get(product.idealCycleTime) ?? [];
      paths.push(`${enterprise}/${cell.path}`);
      times.set(product.idealCycleTime, paths);
    }
  }
  const products = [...byProduct].map(([id, times]) => {
    let common = 0;
    let most = -1;
    for (const [seconds, paths] of times) {
      if (paths.length > most) {
        common = seconds;
        most = paths.length;
      }
    }
    const overrides = [...times]
      .filter(([seconds]) => seconds !== common)
      .flatMap(([seconds, paths]) => paths.map((path) => ({ path, idealCycleSeconds: seconds })));
    return { id, idealCycleSeconds: common, ...(overrides.length > 0 ? { cells: overrides } : {}) };
  });

  const calendarNames = [...new Set(lines.map((line) => line.calendarName))];
  const lineEntry = (line: PlanLine) => {
    const own = plan.cells.slice(line.firstCell, line.firstCell + line.cellCount);
    const bottleneck = bottleneckOf(own);
    return {
      path: `${enterprise}/${line.path}`,
      calendar: line.calendarName,
      ...(bottleneck === undefined ? {} : { bottleneckCell: `${enterprise}/${bottleneck.path}` }),
      ...(line.workforce === undefined
        ? {}
        : {
            roster: {
              headcount: line.workforce.people * line.calendar.shifts.length,
              labourSource: 'clock' as const,
            },
          }),
    };
  };

  const master: MasterDataInput = {
    timezone: zones[0] as string,
    minorStopThresholdSeconds: scenario.minorStopThreshold,
    products,
    calendars: calendarNames.map((name) => calendarOf(name, scenario.calendars[name] as CalendarSpec)),
    ...(sites[0] !== undefined && calendarNames.includes(sites[0].calendarName)
      ? { defaultCalendar: sites[0].calendarName }
      : {}),
    lines: lines.map(lineEntry),
  };
  // A scenario the simulator accepts always gives valid master data; this guards the mapping itself.
  parseMasterData(master);
  return master;
}
