import { connectPacket, rawClient } from '../../test/helpers/raw-client.js';

/**
 * Whether the broker still serves: a fresh client authenticates (MQTT 5) and gets its PINGRESP within
 * `deadlineMs`. False means it hangs (or is gone).
 */
export async function answersPing(port: number, password: string, deadlineMs: number): Promise<boolean> {
  const start = Date.now();
  let client: Awaited<ReturnType<typeof rawClient>> | undefined;
  try {
    client = await rawClient(port, '127.0.0.1', 5);
    client.send(connectPacket(`admin-probe-${start}`, 'admin', password, 5));
    const connack = (await client.next('connack', deadlineMs)) as { reasonCode?: number } | undefined;
    if (connack?.reasonCode !== 0) return false;
    client.send(Buffer.from([0xc0, 0x00]));
    return (await client.next('pingresp', Math.max(1, deadlineMs - (Date.now() - start)))) !== undefined;
  } catch {
    return false;
  } finally {
    client?.socket.destroy();
  }
}
