/**
 * ISA-95 asset paths as the topic tree spells them: `enterprise/site/area/line[/cell]`.
 * Each level is `[a-z0-9][a-z0-9_-]{0,63}`.
 */

export const assetLevelPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A cell path split into the paths of the levels it belongs to. */
export interface CellAncestry {
  cell: string;
  line: string;
  site: string;
  enterprise: string;
}

function segmentsOf(path: string): string[] | null {
  const segments = path.split('/');
  return segments.every((segment) => assetLevelPattern.test(segment)) ? segments : null;
}

/** True for `enterprise/site/area/line/cell`. */
export function isCellPath(path: string): boolean {
  return segmentsOf(path)?.length === 5;
}

/** True for `enterprise/site/area/line`. */
export function isLinePath(path: string): boolean {
  return segmentsOf(path)?.length === 4;
}

/** The ancestry of a valid cell path, or null when the path is not a cell path. */
export function cellAncestry(cellPath: string): CellAncestry | null {
  const segments = segmentsOf(cellPath);
  if (segments === null || segments.length !== 5) return null;
  return {
    cell: cellPath,
    line: segments.slice(0, 4).join('/'),
    site: segments.slice(0, 2).join('/'),
    enterprise: segments[0]!,
  };
}

/** `enterprise/site` of a line path. */
export function siteOfLine(linePath: string): string {
  return linePath.split('/').slice(0, 2).join('/');
}

/** `enterprise` of any path. */
export function enterpriseOf(path: string): string {
  return path.split('/')[0]!;
}
