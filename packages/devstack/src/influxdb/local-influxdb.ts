import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DevstackError } from '../errors.js';
import type { InstallContext } from '../install-context.js';
import { isProcessAlive, spawnDetached } from '../process/managed-process.js';
import type { InfluxdbState, ProcessState } from '../stack-state.js';
import { influxdbLaunch, installInfluxdb, setupInfluxdb } from './install-influxdb.js';

export async function isInfluxdbReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts the local InfluxDB of a stack: builds it if needed, launches it with its state in the
 * stack's folder, waits for `/health`, and onboards org, bucket and token on first start.
 */
export async function startLocalInfluxdb(
  ctx: InstallContext,
  stackDir: string,
  state: Omit<InfluxdbState, 'process'>,
): Promise<ProcessState> {
  const install = await installInfluxdb(ctx);
  const dir = join(stackDir, 'influxdb');
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'influxd.log');
  await mkdir(dataDir, { recursive: true });
  const launch = influxdbLaunch(install, { dataDir, httpPort: state.port });
  ctx.progress(`starting InfluxDB ${install.version} on port ${state.port}`);
  const pid = spawnDetached(launch, logFile);
  const processState: ProcessState = { pid, marker: dataDir, logFile, startedAt: new Date().toISOString() };
  const url = `http://localhost:${state.port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid, dataDir)) {
      throw new DevstackError(
        'MEKONG_DEVSTACK_START_FAILED',
        'start InfluxDB',
        'the influxd process exited',
        {
          logFile,
          hint: `read the end of ${logFile}`,
        },
      );
    }
    if (await isInfluxdbReady(url)) {
      await setupInfluxdb(url, state);
      ctx.progress(`InfluxDB ready on ${url}`);
      return processState;
    }
    await sleep(300);
  }
  throw new DevstackError(
    'MEKONG_DEVSTACK_NOT_READY',
    'start InfluxDB',
    '/health did not answer within 120 s',
    {
      logFile,
      hint: 'the machine may be overloaded; run `mekong devstack down` and try again',
    },
  );
}
