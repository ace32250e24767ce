import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePort, freePort, isPortFree } from '../src/ports.js';

const servers: Server[] = [];

async function occupy(port: number, host: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ port, host }, resolve));
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('ports', () => {
  it('sees a port taken on IPv4 or on IPv6 as busy', async () => {
    const v4 = await freePort();
    const v6 = await freePort();
    expect(await isPortFree(v4)).toBe(true);
    await occupy(v4, '127.0.0.1');
    await occupy(v6, '::1');
    expect(await isPortFree(v4)).toBe(false);
    expect(await isPortFree(v6)).toBe(false);
  });

  it('moves off a busy default port and says where from', async () => {
    const busy = await freePort();
    await occupy(busy, '::');
    const chosen = await choosePort(busy, { configured: false });
    expect(chosen.port).not.toBe(busy);
    expect(chosen.movedFrom).toBe(busy);
    expect(await isPortFree(chosen.port)).toBe(true);
  });

  it('refuses a busy configured port instead of silently moving', async () => {
    const busy = await freePort();
    await occupy(busy, '::');
    await expect(choosePort(busy, { configured: true })).rejects.toThrow(`port ${busy} is in use`);
  });

  it('keeps a free preferred port and never hands out a port already taken by the same stack', async () => {
    const preferred = await freePort();
    expect(await choosePort(preferred, { configured: true })).toEqual({ port: preferred });
    const second = await choosePort(preferred, { configured: false, taken: new Set([preferred]) });
    expect(second.port).not.toBe(preferred);
  });
});
