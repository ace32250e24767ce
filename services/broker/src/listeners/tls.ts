import { readFile } from 'node:fs/promises';
import { createServer } from 'node:tls';
import { listen } from '@mekong/runtime';
import { BrokerError } from '../errors.js';
import { type AcceptConnection, type Listener, remoteOf } from './listener.js';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** Optional CA bundle to ask clients for certificates (not required: clients still log in). */
  caFile?: string;
}

/** MQTT over TLS (1.2 and later) on `host`, with the certificate and key read from files. */
export async function listenTls(
  port: number,
  host: string,
  files: TlsFiles,
  accept: AcceptConnection,
): Promise<Listener> {
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path);
    } catch (cause) {
      throw new BrokerError('MEKONG_BROKER_BAD_CONFIG', `cannot read the TLS ${what} ${path}`, { cause });
    }
  };
  const [cert, key, ca] = await Promise.all([
    read(files.certFile, 'certificate'),
    read(files.keyFile, 'key'),
    files.caFile ? read(files.caFile, 'CA bundle') : undefined,
  ]);
  const server = createServer(
    { cert, key, ...(ca ? { ca, requestCert: true, rejectUnauthorized: false } : {}), minVersion: 'TLSv1.2' },
    (socket) => {
      socket.setNoDelay(true);
      accept(socket, 'tls', remoteOf(socket.remoteAddress, socket.remotePort));
    },
  );
  // A failed handshake (a plain-MQTT client on the TLS port) is the client's problem, never the broker's.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  await listen(server, port, host);
  const address = server.address();
  return {
    transport: 'tls',
    port: typeof address === 'object' && address ? address.port : port,
    // server.close's callback waits for every open connection to end; the broker ends those itself.
    close: async () => {
      server.close();
    },
  };
}
