import { describe, expect, it } from 'vitest';
import { cellAncestry, enterpriseOf, isCellPath, isLinePath, siteOfLine } from '../src/asset-path.js';

describe('asset paths', () => {
  it.each([
    ['acme/hcm/assembly/line-1/press-1', true, false],
    ['acme/hcm/assembly/line-1', false, true],
    ['acme/hcm/assembly/line-1/Press-1', false, false],
    ['acme/hcm//line-1/press-1', false, false],
    ['acme/hcm/assembly/line-1/press-1/x', false, false],
  ])('%s: cell %s, line %s', (path, cell, line) => {
    expect(isCellPath(path)).toBe(cell);
    expect(isLinePath(path)).toBe(line);
  });

  it('cellAncestry', () => {
    expect(cellAncestry('acme/hcm/assembly/line-1/press-1')).toEqual({
      cell: 'acme/hcm/assembly/line-1/press-1',
      line: 'acme/hcm/assembly/line-1',
      site: 'acme/hcm',
      enterprise: 'acme',
    });
    expect(cellAncestry('acme/hcm/assembly/line-1')).toBeNull();
  });

  it('siteOfLine and enterpriseOf', () => {
    expect(siteOfLine('acme/hcm/assembly/line-1')).toBe('acme/hcm');
    expect(enterpriseOf('acme/hcm/assembly/line-1')).toBe('acme');
  });
});
