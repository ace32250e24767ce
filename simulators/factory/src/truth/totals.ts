/** What the ground truth adds up per window, in milliseconds and parts. Sums, never ratios. */
export interface Totals {
  atMs: number;
  notScheduledMs: number;
  plannedStopMs: number;
  setupMs: number;
  downMs: number;
  minorMs: number;
  runningMs: number;
  /** Σ ICT × parts; fractional when an ideal cycle time is not a whole number of ms. */
  iotMs: number;
  gotMs: number;
  good: number;
  scrap: number;
  /**
   * Failures that started inside the window and had at least one stop ≥ θ (a failure below θ is a minor
   * stop); a failure interrupted by a break or the end of a shift is still one failure.
   */
  failures: number;
  /** Attended labour time (clock-in to clock-out, breaks excluded); lines and sites only. */
  labourMs: number;
}

export function emptyTotals(): Totals {
  return {
    atMs: 0,
    notScheduledMs: 0,
    plannedStopMs: 0,
    setupMs: 0,
    downMs: 0,
    minorMs: 0,
    runningMs: 0,
    iotMs: 0,
    gotMs: 0,
    good: 0,
    scrap: 0,
    failures: 0,
    labourMs: 0,
  };
}

export function addTotals(into: Totals, from: Totals): void {
  into.atMs += from.atMs;
  into.notScheduledMs += from.notScheduledMs;
  into.plannedStopMs += from.plannedStopMs;
  into.setupMs += from.setupMs;
  into.downMs += from.downMs;
  into.minorMs += from.minorMs;
  into.runningMs += from.runningMs;
  into.iotMs += from.iotMs;
  into.gotMs += from.gotMs;
  into.good += from.good;
  into.scrap += from.scrap;
  into.failures += from.failures;
  into.labourMs += from.labourMs;
}
