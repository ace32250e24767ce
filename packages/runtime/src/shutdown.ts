import { RuntimeError } from './errors.js';
import type { Logger } from './logger.js';

export interface CloseHook {
  name: string;
  close: () => Promise<void> | void;
}

export interface Shutdown {
  /** Hooks run one after another in the order they were added: stop intake first, storage last. */
  add(name: string, close: CloseHook['close']): void;
  /** Runs the hooks once (later calls return the same promise). Rejects with MEKONG_SHUTDOWN_TIMEOUT when they overrun. */
  run(reason: string): Promise<void>;
  /** SIGINT/SIGTERM start `run`, then the process exits (1 when a hook failed or overran). */
  installSignalHandlers(): () => void;
}

export interface ShutdownSettings {
  logger: Logger;
  /** Total time for all hooks; past it the remaining ones are abandoned. */
  timeoutMs?: number;
  /** How the process ends after a signal; injectable for tests. */
  exit?: (code: number) => void;
}

export function createShutdown(settings: ShutdownSettings): Shutdown {
  const hooks: CloseHook[] = [];
  const timeoutMs = settings.timeoutMs ?? 15_000;
  const exit = settings.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  async function runHooks(reason: string): Promise<void> {
    settings.logger.info(
      { event: 'shutdown_started', reason, hooks: hooks.map((h) => h.name) },
      'shutting down',
    );
    const failures: string[] = [];
    for (const hook of hooks) {
      const started = Date.now();
      try {
        await hook.close();
        settings.logger.info(
          { event: 'shutdown_hook_done', hook: hook.name, ms: Date.now() - started },
          `closed ${hook.name}`,
        );
      } catch (error) {
        failures.push(hook.name);
        settings.logger.error(
          { event: 'shutdown_hook_failed', code: 'MEKONG_SHUTDOWN_HOOK_FAILED', hook: hook.name, err: error },
          `could not close ${hook.name}`,
        );
      }
    }
    if (failures.length > 0) {
      throw new RuntimeError('MEKONG_SHUTDOWN_HOOK_FAILED', `could not close: ${failures.join(', ')}`);
    }
  }

  function run(reason: string): Promise<void> {
    if (running) return running;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new RuntimeError('MEKONG_SHUTDOWN_TIMEOUT', `shutdown took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref();
    });
    running = Promise.race([runHooks(reason), timeout]).finally(() => clearTimeout(timer));
    return running;
  }

  return {
    add(name, close) {
      hooks.push({ name, close });
    },
    run,
    installSignalHandlers() {
      const onSignal = (signal: NodeJS.Signals) => {
        run(signal).then(
          () => exit(0),
          (error: unknown) => {
            settings.logger.error(
              { event: 'shutdown_failed', code: (error as RuntimeError).code, err: error },
              'shutdown failed',
            );
            exit(1);
          },
        );
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      return () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      };
    },
  };
}
