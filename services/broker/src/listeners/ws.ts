import { createServer } from 'node:http';
import { listen } from '@mekong/runtime';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { type AcceptConnection, type Listener, remoteOf } from './listener.js';

/**
 * MQTT over WebSocket (subprotocol `mqtt`, any path) for browsers, on `host`. With `origins` set, a
 * browser page from any other origin is refused at the upgrade (HTTP 403); clients that send no
 * `Origin` (devices, services) are not browsers and pass.
 */
export async function listenWs(
  port: number,
  host: string,
  maxPacketSize: number,
  accept: AcceptConnection,
  origins: readonly string[] = [],
  onRefused: (origin: string) => void = () => {},
): Promise<Listener> {
  const http = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' });
    response.end('this port speaks MQTT over WebSocket\n');
  });
  const wss = new WebSocketServer({
    server: http,
    // One WebSocket message may carry one or more MQTT packets; the gateway enforces the packet limit.
    maxPayload: maxPacketSize + 1024,
    verifyClient: (
      { origin }: { origin?: string },
      done: (ok: boolean, status?: number, message?: string) => void,
    ) => {
      if (origins.length === 0 || !origin || origins.includes(origin)) return done(true);
      onRefused(origin);
      done(false, 403, 'origin not allowed');
    },
    handleProtocols: (protocols) =>
      protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false,
  });
  wss.on('connection', (socket, request) => {
    const stream = createWebSocketStream(socket);
    stream.on('error', () => stream.destroy());
    accept(stream, 'ws', remoteOf(request.socket.remoteAddress, request.socket.remotePort));
  });
  await listen(http, port, host);
  const address = http.address();
  return {
    transport: 'ws',
    port: typeof address === 'object' && address ? address.port : port,
    // Stops accepting; open WebSocket connections are the broker's to drain and end.
    close: async () => {
      wss.close();
      http.close();
      http.closeIdleConnections();
    },
  };
}
