import { describe, expect, it } from 'vitest';
import { parseMasterData } from '../src/master-data.js';
import { indexMasterData } from '../src/master-index.js';

const line = 'acme/hcm/assembly/line-1';
const index = indexMasterData(
  parseMasterData({
    timezone: 'Asia/Ho_Chi_Minh',
    minorStopThresholdSeconds: 90,
    products: [
      { id: 'a', idealCycleSeconds: 2, cells: [{ path: `${line}/press-2`, idealCycleSeconds: 1.5 }] },
      { id: 'b', idealCycleSeconds: 3 },
    ],
    calendars: [{ id: 'day', shifts: [{ id: 'A', start: '06:00', end: '14:00' }] }],
    lines: [
      {
        path: line,
        calendar: 'day',
        bottleneckCell: `${line}/press-2`,
        roster: { workers: ['w1', 'w2', 'w3'] },
      },
    ],
  }),
);

describe('indexMasterData', () => {
  it.each([
    [`${line}/press-1`, 'a', 2],
    [`${line}/press-2`, 'a', 1.5],
    [`${line}/press-2`, 'b', 3],
    [`${line}/press-2`, 'c', undefined],
  ])('ideal cycle of %s for %s is %s', (cell, product, expected) => {
    expect(index.cellContext(cell).idealCycleSeconds(product)).toBe(expected);
  });

  it('cell and line contexts', () => {
    expect(index.minorStopThresholdMs).toBe(90_000);
    expect(index.cellContext(`${line}/press-2`).isBottleneck).toBe(true);
    expect(index.cellContext(`${line}/press-1`).isBottleneck).toBe(false);
    expect(index.cellContext(`${line}/press-1`).countsAsLineOutput).toBe(true);
    expect(index.lineContext(line)).toMatchObject({
      rosterHeadcount: 3,
      hasBottleneck: true,
      labourSource: 'auto',
    });
    expect(index.planOfLine(line).calendarId).toBe('day');
    expect(index.planOfLine('acme/hcm/assembly/line-2').calendarId).toBeNull();
  });
});
