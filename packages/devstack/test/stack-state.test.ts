import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStackState, writeStackState } from '../src/stack-state.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-stack-state-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('stack state file (it holds the InfluxDB credentials)', () => {
  it('is 0600 in a 0700 folder after a write, whatever a leftover state.json or temporary file had', async () => {
    const stackDir = join(dir, 'stack');
    await mkdir(stackDir, { mode: 0o755 });
    await chmod(stackDir, 0o755);
    for (const name of ['state.json', 'state.json.tmp']) {
      await writeFile(join(stackDir, name), '{"instance":"old"}\n', { mode: 0o644 });
      await chmod(join(stackDir, name), 0o644);
    }
    await writeStackState(stackDir, { instance: 'test' });
    expect(await modeOf(join(stackDir, 'state.json'))).toBe(0o600);
    expect(await modeOf(stackDir)).toBe(0o700);
    expect(await readStackState(stackDir, 'x')).toEqual({ instance: 'test' });
    expect(
      (await readdir(stackDir)).filter((name) => name.includes('.tmp') && name !== 'state.json.tmp'),
    ).toEqual([]);
  });
});
