import { isKnownTimeZone, zoneOf } from '../time/zone.js';
import type { ScenarioIssue } from './scenario-error.js';
import { describeValue, formatPath } from './scenario-error.js';
import type { CalendarSpec, Scenario } from './schema.js';

/** Checks what the schema alone cannot: references, unique ids, time zones, shift overlaps. */
export function checkScenario(scenario: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const report = (path: PropertyKey[], value: unknown, message: string) =>
    issues.push({ path: formatPath(path), value: describeValue(value), message });

  for (const [name, calendar] of Object.entries(scenario.calendars)) {
    checkCalendar(calendar, ['calendars', name], report);
  }
  duplicates(
    scenario.sites.map((site) => site.id),
    (index, id) => report(['sites', index, 'id'], id, 'is used by another site'),
  );
  scenario.sites.forEach((site, s) => {
    if (!isKnownTimeZone(site.timeZone))
      report(['sites', s, 'timeZone'], site.timeZone, 'is not an IANA time zone');
    else zoneOf(site.timeZone);
    if (!(site.calendar in scenario.calendars)) {
      report(
        ['sites', s, 'calendar'],
        site.calendar,
        `is not one of calendars (${Object.keys(scenario.calendars).join(', ')})`,
      );
    }
    duplicates(
      site.areas.map((area) => area.id),
      (index, id) => report(['sites', s, 'areas', index, 'id'], id, 'is used by another area of this site'),
    );
    site.areas.forEach((area, a) => {
      duplicates(
        area.lines.map((line) => line.id),
        (index, id) =>
          report(['sites', s, 'areas', a, 'lines', index, 'id'], id, 'is used by another line of this area'),
      );
      area.lines.forEach((line, l) => {
        const linePath = ['sites', s, 'areas', a, 'lines', l];
        if (line.calendar !== undefined && !(line.calendar in scenario.calendars)) {
          report(
            [...linePath, 'calendar'],
            line.calendar,
            `is not one of calendars (${Object.keys(scenario.calendars).join(', ')})`,
          );
        }
        duplicates(
          line.cells.map((cell) => cell.id),
          (index, id) =>
            report([...linePath, 'cells', index, 'id'], id, 'is used by another cell of this line'),
        );
        line.cells.forEach((cell, c) => {
          const cellPath = [...linePath, 'cells', c];
          const template = cell.template === undefined ? undefined : scenario.cellTemplates[cell.template];
          if (cell.template !== undefined && template === undefined) {
            report(
              [...cellPath, 'template'],
              cell.template,
              `is not one of cellTemplates (${Object.keys(scenario.cellTemplates).join(', ') || 'none defined'})`,
            );
          }
          if (cell.products === undefined && template?.products === undefined && template !== undefined) {
            report([...cellPath, 'products'], undefined, 'is missing: give products here or in the template');
          }
          if (cell.products === undefined && cell.template === undefined) {
            report([...cellPath, 'products'], undefined, 'is missing: give products or a template');
          }
        });
      });
    });
  });
  return issues;
}

function duplicates(ids: string[], onDuplicate: (index: number, id: string) => void): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) onDuplicate(index, id);
    seen.add(id);
  });
}

function minutes(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** A shift's span in minutes from its start day's midnight; the end may pass 1440. */
export function shiftSpanMinutes(start: string, end: string): [number, number] {
  const from = minutes(start);
  let to = minutes(end);
  if (to <= from) to += 1440;
  return [from, to];
}

/** A break's span in minutes from its shift day's midnight, or undefined when outside the shift. */
export function breakSpanMinutes(
  shift: [number, number],
  start: string,
  end: string,
): [number, number] | undefined {
  let from = minutes(start);
  if (from < shift[0]) from += 1440;
  let to = minutes(end);
  while (to <= from) to += 1440;
  if (from < shift[0] || to > shift[1]) return undefined;
  return [from, to];
}

function checkCalendar(
  calendar: CalendarSpec,
  path: PropertyKey[],
  report: (path: PropertyKey[], value: unknown, message: string) => void,
): void {
  duplicates(
    calendar.shifts.map((shift) => shift.name),
    (index, name) =>
      report([...path, 'shifts', index, 'name'], name, 'is used by another shift of this calendar'),
  );
  // Shifts recur daily, so two overlap when they overlap on the same day or across midnight.
  const spans = calendar.shifts.map((shift) => shiftSpanMinutes(shift.start, shift.end));
  spans.forEach((span, i) => {
    spans.forEach((other, j) => {
      if (j <= i) return;
      for (const shiftDays of [-1440, 0, 1440]) {
        if (span[0] < other[1] + shiftDays && other[0] + shiftDays < span[1]) {
          report(
            [...path, 'shifts', j],
            calendar.shifts[j]?.name,
            `overlaps shift "${calendar.shifts[i]?.name}"`,
          );
          return;
        }
      }
    });
  });
  calendar.shifts.forEach((shift, s) => {
    const span = spans[s] ?? [0, 0];
    const breakSpans: [number, number][] = [];
    shift.breaks.forEach((pause, b) => {
      const breakSpan = breakSpanMinutes(span, pause.start, pause.end);
      if (breakSpan === undefined) {
        report(
          [...path, 'shifts', s, 'breaks', b],
          `${pause.start}-${pause.end}`,
          `is not inside shift ${shift.start}-${shift.end}`,
        );
        return;
      }
      if (breakSpans.some((other) => breakSpan[0] < other[1] && other[0] < breakSpan[1])) {
        report([...path, 'shifts', s, 'breaks', b], `${pause.start}-${pause.end}`, 'overlaps another break');
      }
      breakSpans.push(breakSpan);
    });
  });
  calendar.holidays.forEach((date, h) => {
    const [year, month, day] = date.split('-').map(Number);
    const parsed = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
    if (parsed.getUTCMonth() + 1 !== month || parsed.getUTCDate() !== day) {
      report([...path, 'holidays', h], date, 'is not a calendar date');
    }
  });
}
