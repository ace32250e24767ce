import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveLogFormat } from '../src/logger.js';

const run = promisify(execFile);
const loggerModule = join(import.meta.dirname, '../src/logger.ts');
const script = `import { createLogger } from ${JSON.stringify(loggerModule)};
createLogger({ service: 'demo' }).warn({ code: 'MEKONG_DEMO' }, 'something to read');`;

async function logLine(format: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, MEKONG_LOG_FORMAT: format, FORCE_COLOR: '0', NO_COLOR: '1' },
    timeout: 30_000,
  });
  return stdout.trim();
}

describe('log format', () => {
  it('auto is pretty on a terminal and JSON otherwise; json and pretty are what they say', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat(undefined, false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('writes one JSON event per line with json, a readable line with the same facts with pretty', async () => {
    const json = JSON.parse(await logLine('json'));
    expect(json).toMatchObject({
      level: 'warn',
      service: 'demo',
      code: 'MEKONG_DEMO',
      msg: 'something to read',
    });
    const pretty = await logLine('pretty');
    expect(() => JSON.parse(pretty)).toThrow();
    expect(pretty).toMatch(/WARN.*something to read/);
    expect(pretty).toContain('MEKONG_DEMO');
  }, 60_000);
});
