import { describe, expect, it, vi } from 'vitest';
import { commitIfStillOwned } from '../src/owned-commit.js';

const consumer = (generationId: number, partitions: number[]) => ({
  generationId,
  assignments: [{ topic: 'mekong.count.v1', partitions }],
});
const record = () => ({ topic: 'mekong.count.v1', partition: 2, commit: vi.fn(async () => undefined) });

describe('a commit only while the partition is still ours', () => {
  it('commits a record of an assigned partition in the generation that delivered it', async () => {
    const r = record();
    expect(await commitIfStillOwned(consumer(7, [1, 2]), r, 7)).toBe(true);
    expect(r.commit).toHaveBeenCalledTimes(1);
  });

  it('skips it after a rebalance (another generation), even if the partition came back', async () => {
    const r = record();
    expect(await commitIfStillOwned(consumer(8, [1, 2]), r, 7)).toBe(false);
    expect(r.commit).not.toHaveBeenCalled();
  });

  it('skips it when the partition is no longer assigned, or nothing is', async () => {
    const r = record();
    expect(await commitIfStillOwned(consumer(7, [0, 1]), r, 7)).toBe(false);
    expect(await commitIfStillOwned({ generationId: 7, assignments: null }, r, 7)).toBe(false);
    expect(r.commit).not.toHaveBeenCalled();
  });
});
