import type { CellAddress, LineAddress } from '@mekong/contracts';
import type { Zone } from '../time/zone.js';
import { zoneOf } from '../time/zone.js';
import type { CalendarSpec, CellSpec, CellTemplate, Scenario, WorkforceSpec } from './schema.js';

/** A site after expansion: its zone and the lines it owns. */
export interface PlanSite {
  index: number;
  id: string;
  zone: Zone;
  calendarName: string;
}

export interface PlanLine {
  index: number;
  site: PlanSite;
  address: LineAddress;
  /** `<site>/<area>/<line>`, what fault globs match against (with `/_line` appended). */
  path: string;
  calendarName: string;
  calendar: CalendarSpec;
  workforce: WorkforceSpec | undefined;
  firstCell: number;
  cellCount: number;
}

/** A cell's resolved behaviour, shared by every replica of one scenario entry. */
export type CellBody = Required<Pick<CellTemplate, 'products'>> & Omit<CellTemplate, 'products'>;

export interface PlanCell {
  index: number;
  line: PlanLine;
  address: CellAddress;
  /** `<site>/<area>/<line>/<cell>` */
  path: string;
  body: CellBody;
}

/** The factory as the simulation sees it: every replica spelled out, in a fixed order. */
export interface Plan {
  scenario: Scenario;
  sites: PlanSite[];
  lines: PlanLine[];
  cells: PlanCell[];
}

export interface ExpandOptions {
  /** Multiplies every line's replica count (default 1). */
  scale?: number;
}

function replicaIds(id: string, count: number | undefined): string[] {
  const n = count ?? 1;
  if (n === 1) return [id];
  const width = Math.max(String(n).length, 2);
  return Array.from({ length: n }, (_, i) => `${id}-${String(i + 1).padStart(width, '0')}`);
}

function resolveBody(scenario: Scenario, cell: CellSpec): CellBody {
  const template = cell.template === undefined ? {} : (scenario.cellTemplates[cell.template] ?? {});
  const body: CellTemplate = { ...template };
  for (const key of [
    'products',
    'failures',
    'minorStops',
    'changeover',
    'sensors',
    'sensorInterval',
  ] as const) {
    if (cell[key] !== undefined) Object.assign(body, { [key]: cell[key] });
  }
  if (body.products === undefined)
    throw new Error(`cell ${cell.id} has no products (checked before expansion)`);
  return body as CellBody;
}

/** Spells out every replica, in scenario order: sites, areas, lines, cells, each by replica number. */
export function expandScenario(scenario: Scenario, options: ExpandOptions = {}): Plan {
  const scale = options.scale ?? 1;
  const sites: PlanSite[] = [];
  const lines: PlanLine[] = [];
  const cells: PlanCell[] = [];
  for (const siteSpec of scenario.sites) {
    const site: PlanSite = {
      index: sites.length,
      id: siteSpec.id,
      zone: zoneOf(siteSpec.timeZone),
      calendarName: siteSpec.calendar,
    };
    sites.push(site);
    for (const areaSpec of siteSpec.areas) {
      for (const areaId of replicaIds(areaSpec.id, areaSpec.count)) {
        for (const lineSpec of areaSpec.lines) {
          for (const lineId of replicaIds(lineSpec.id, (lineSpec.count ?? 1) * scale)) {
            const calendarName = lineSpec.calendar ?? siteSpec.calendar;
            const calendar = scenario.calendars[calendarName];
            if (calendar === undefined)
              throw new Error(`calendar ${calendarName} (checked before expansion)`);
            const address: LineAddress = {
              enterprise: scenario.enterprise,
              site: site.id,
              area: areaId,
              line: lineId,
            };
            const line: PlanLine = {
              index: lines.length,
              site,
              address,
              path: `${site.id}/${areaId}/${lineId}`,
              calendarName,
              calendar,
              workforce: lineSpec.workforce,
              firstCell: cells.length,
              cellCount: 0,
            };
            lines.push(line);
            for (const cellSpec of lineSpec.cells) {
              const body = resolveBody(scenario, cellSpec);
              for (const cellId of replicaIds(cellSpec.id, cellSpec.count)) {
                cells.push({
                  index: cells.length,
                  line,
                  address: { ...address, cell: cellId },
                  path: `${line.path}/${cellId}`,
                  body,
                });
                line.cellCount += 1;
              }
            }
          }
        }
      }
    }
  }
  return { scenario, sites, lines, cells };
}
