/** Kinds a machine or workstation (a cell) publishes under `…/<line>/<cell>/<kind>`. */
export const CELL_KINDS = ['state', 'count', 'sensor', 'alarm'] as const;
export type CellKind = (typeof CELL_KINDS)[number];

/** Kinds published for a whole line, under `…/<line>/_line/<kind>`. */
export const LINE_KINDS = ['labour'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export const TELEMETRY_KINDS = [...CELL_KINDS, ...LINE_KINDS] as const;
export type TelemetryKind = CellKind | LineKind;

export function isCellKind(value: string): value is CellKind {
  return (CELL_KINDS as readonly string[]).includes(value);
}

export function isLineKind(value: string): value is LineKind {
  return (LINE_KINDS as readonly string[]).includes(value);
}

export function isTelemetryKind(value: string): value is TelemetryKind {
  return isCellKind(value) || isLineKind(value);
}
