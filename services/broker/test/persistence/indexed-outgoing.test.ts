import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);

describe('indexed outgoing queues', () => {
  it("pass aedes-persistence's own conformance suite on its memory store", async () => {
    const suite = join(import.meta.dirname, 'indexed-outgoing.conformance.ts');
    // TAP, whose summary lines this reads: Node 24's default reporter is `spec` even when piped.
    const args = ['--import', 'tsx', '--test', '--test-reporter=tap', suite];
    const { stdout } = await execFileAsync(process.execPath, args, {
      cwd: join(import.meta.dirname, '../..'),
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(
        `conformance suite failed:\n${error.stdout?.slice(-4000)}\n${error.stderr?.slice(-2000)}`,
      );
    });
    const passed = Number(/# pass (\d+)/.exec(stdout)?.[1]);
    expect(Number(/# fail (\d+)/.exec(stdout)?.[1])).toBe(0);
    // The suite (50 cases in 11.0.0) has many outgoing-queue cases; a run that found none would pass vacuously.
    expect(passed).toBeGreaterThanOrEqual(40);
  }, 120_000);
});
