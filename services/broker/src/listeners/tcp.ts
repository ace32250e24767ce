import { createServer } from 'node:net';
import { listen } from '@mekong/runtime';
import { type AcceptConnection, type Listener, remoteOf } from './listener.js';

/** MQTT over TCP on `host` (`::` serves IPv6 and IPv4). */
export async function listenTcp(port: number, host: string, accept: AcceptConnection): Promise<Listener> {
  const server = createServer({ noDelay: true }, (socket) => {
    accept(socket, 'tcp', remoteOf(socket.remoteAddress, socket.remotePort));
  });
  await listen(server, port, host);
  const address = server.address();
  return {
    transport: 'tcp',
    port: typeof address === 'object' && address ? address.port : port,
    // server.close's callback waits for every open connection to end; the broker ends those itself.
    close: async () => {
      server.close();
    },
  };
}
