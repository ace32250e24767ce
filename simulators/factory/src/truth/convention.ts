/**
 * The conventions of the ground truth, written into every truth file so that a KPI engine can be
 * checked against it rule by rule. Keep in step with the code that implements each rule.
 */
export function truthConvention(thetaSeconds: number): Record<string, string | number> {
  return {
    definitions:
      'ISO 22400-2 as in KPI.md: PBT = POT - planned stops; APT = PBT - ASUT - DOWN - MINOR; A = APT/PBT, P = IOT/APT, Q = GOT/IOT, OEE = GOT/PBT',
    timeUnit: 'seconds (times), parts (counts), hours (labour)',
    thetaSeconds,
    windows:
      'day = local calendar day [00:00, next 00:00) in the site time zone; shift = [start, end) of one shift instance, key "<local start date>/<shift>"; both clipped to the simulated span',
    states:
      "a state holds from its ts until the cell's next state message; time is split at window boundaries; not_scheduled = outside shifts, planned_stop = breaks",
    stops:
      'a stop is a run of consecutive states down or idle (a change of reason or product inside it does not end it); DOWN if its whole length >= theta, else MINOR, decided before it is split at window boundaries; a break or the end of a shift (planned_stop, not_scheduled) ends it, so a failure split by a break is two stops; a stop still open at the end of the run is judged by its length up to the end',
    failures:
      'a failure runs from the failure to the end of its repair, across breaks and shift ends (one failure, however many stops); it counts when at least one of its stops is DOWN (a failure shorter than theta is a minor stop), once, in the day and shift windows where it started',
    setup: 'ASUT = time in state setup (an availability loss)',
    counts:
      'a count message at ts t belongs to the window with from < t <= to (it reports parts made before t); the simulator sends a count at every window boundary while running',
    idealTimes:
      'IOT = sum of ideal cycle time x (good + scrap), GOT = sum of ideal cycle time x good, per product of the cell',
    aggregation:
      'line and site rows sum cell times (cell-seconds) and counts, then divide; never averages of ratios',
    labour:
      "lines and sites: presence from clock_in to clock_out minus the line's planned stops, clipped to the window; workers present at the start clock in at the start; good per labour hour = good parts of all the line's cells (the cells are independent machines, with no material flow between them) per labour hour",
    truthSource:
      "computed from the simulator's internal state, never from the messages: faults do not change it",
  };
}
