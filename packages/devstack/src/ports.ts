import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when nothing listens on `port` on either loopback family. */
export async function isPortFree(port: number): Promise<boolean> {
  const tryListen = (host: string) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRNOTAVAIL'));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
  return (await tryListen('0.0.0.0')) && (await tryListen('::'));
}

/** A port the kernel says is free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '::' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The port to use for a service: the configured one (which must be free), else the default when
 * free, else any free port — so a busy default (another Kafka on 9092) never blocks a start.
 */
export async function choosePort(
  preferred: number,
  options: { configured: boolean; taken?: ReadonlySet<number> },
): Promise<{ port: number; movedFrom?: number }> {
  const taken = options.taken ?? new Set<number>();
  if (!taken.has(preferred) && (await isPortFree(preferred))) return { port: preferred };
  if (options.configured) throw new Error(`port ${preferred} is in use`);
  for (;;) {
    const port = await freePort();
    if (!taken.has(port)) return { port, movedFrom: preferred };
  }
}

/** Waits until `port` is free: a service restarting keeps its port, which its clients know. */
export async function waitForPortFree(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isPortFree(port)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(200);
  }
}
