import { readFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { type BackoffSettings, backoffDelay, errorMessage, type Logger } from '@mekong/runtime';
import mqttPacket, {
  type IConnackPacket,
  type IPublishPacket,
  type ISubackPacket,
  type Packet,
} from 'mqtt-packet';
import { BridgeError } from '../errors.js';

// Why not mqtt.js: its client hands PUBLISH packets to `customHandleAcks` one at a time and reads the
// next only after the previous PUBACK went out (and only for MQTT 5). Holding each PUBACK until Kafka
// acknowledged the record would then forward one message per Kafka round trip. This client on
// mqtt-packet (the codec mqtt.js and Aedes use) acknowledges whenever and in whatever order the
// caller says, for 3.1.1 and 5 alike, and applies back-pressure by no longer reading the socket.

export interface MqttSubscriberSettings {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  caFile?: string;
  protocolVersion: 4 | 5;
  topicFilters: string[];
  /** MQTT 5 only; 3.1.1 keeps the session with clean = false. */
  sessionExpiryS: number;
  keepaliveS: number;
  /** MQTT 5 Receive Maximum: unacknowledged QoS 1 deliveries the broker may have out to us. */
  receiveMaximum: number;
  reconnect: BackoffSettings;
  connectTimeoutMs: number;
}

export interface MqttMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  dup: boolean;
  receivedAtMs: number;
  /** Sends the PUBACK (PUBREC for QoS 2). A no-op when the connection it came on is gone. */
  ack: () => void;
}

export interface MqttSubscriberEvents {
  message(message: MqttMessage): void;
  connected?(info: { sessionPresent: boolean; reconnect: boolean }): void;
  disconnected?(info: { reason: string; code: string }): void;
  /** A refusal that retrying will not cure (credentials, ACL, shared subscriptions missing). */
  fatal?(error: BridgeError): void;
}

export interface MqttSubscriberStatus {
  connected: boolean;
  paused: boolean;
  since: number;
  lastError?: string;
  reconnects: number;
}

interface Connection {
  socket: Socket;
  id: number;
  open: boolean;
}

const CONNACK_V3: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'client identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};
const AUTH_REFUSALS_V3 = new Set([2, 4, 5]);
// MQTT 5 CONNACK: client identifier not valid, bad user name or password, not authorized, banned, bad auth method.
const AUTH_REFUSALS_V5 = new Set([0x85, 0x86, 0x87, 0x8a, 0x8c]);

/** A QoS 1 subscriber with a persistent session and acknowledgements under the caller's control. */
export class MqttSubscriber {
  private connection: Connection | undefined;
  private connectionSeq = 0;
  private paused = false;
  private closing = false;
  private connectedOnce = false;
  private attempts = 0;
  private reconnects = 0;
  private since = Date.now();
  private lastError: string | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private lastSentAt = 0;
  private pingSentAt: number | undefined;
  private keepaliveS: number;
  private readonly url: URL;
  private readonly ca: Buffer | undefined;
  private firstOutcome: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private reconnectWhenResumed = false;
  private readonly generateOptions: { protocolVersion: 4 | 5 };

  constructor(
    private readonly settings: MqttSubscriberSettings,
    private readonly events: MqttSubscriberEvents,
    private readonly logger: Logger,
  ) {
    this.url = new URL(settings.url);
    this.keepaliveS = settings.keepaliveS;
    this.generateOptions = { protocolVersion: settings.protocolVersion };
    this.ca = settings.caFile ? readFileSync(settings.caFile) : undefined;
  }

  /**
   * Connects and subscribes. Resolves once subscribed; rejects when the broker refuses the
   * credentials or the subscription. An unreachable broker is retried (with backoff) until it answers.
   */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstOutcome = { resolve, reject };
      this.open();
    });
  }

  /** Stops reading the socket: the broker's TCP writes back up and it holds further messages. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.connection?.socket.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.connection?.socket.resume();
    if (this.reconnectWhenResumed) {
      this.reconnectWhenResumed = false;
      this.open();
    }
  }

  status(): MqttSubscriberStatus {
    return {
      connected: this.connection?.open ?? false,
      paused: this.paused,
      since: this.since,
      reconnects: this.reconnects,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Sends DISCONNECT (the session stays, with whatever was not acknowledged) and closes the socket. */
  async close(): Promise<void> {
    this.closing = true;
    this.firstOutcome?.reject(
      new BridgeError('MEKONG_MQTT_UNREACHABLE', 'closed before the MQTT broker answered'),
    );
    this.firstOutcome = undefined;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepaliveTimer);
    const connection = this.connection;
    if (!connection || connection.socket.closed) return;
    const closed = new Promise<void>((resolve) => connection.socket.once('close', () => resolve()));
    if (connection.open) this.write(connection, { cmd: 'disconnect' });
    connection.socket.end();
    const timer = setTimeout(() => connection.socket.destroy(), 2_000);
    await closed;
    clearTimeout(timer);
  }

  private open(): void {
    const id = ++this.connectionSeq;
    const secure = this.url.protocol === 'mqtts:';
    const host = this.url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(this.url.port || (secure ? 8883 : 1883));
    const socket = secure
      ? connectTls({ host, port, servername: host, ...(this.ca ? { ca: this.ca } : {}) })
      : connectTcp({ host, port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    const connection: Connection = { socket, id, open: false };
    this.connection = connection;
    const parser = mqttPacket.parser({ protocolVersion: this.settings.protocolVersion });
    const connectTimer = setTimeout(
      () => socket.destroy(new Error(`no CONNACK within ${this.settings.connectTimeoutMs} ms`)),
      this.settings.connectTimeoutMs,
    );
    parser.on('packet', (packet: Packet) => this.onPacket(connection, packet, connectTimer));
    parser.on('error', (error: Error) => {
      this.logger.error(
        { event: 'mqtt_protocol_error', code: 'MEKONG_MQTT_PROTOCOL_ERROR', err: error },
        'malformed packet from the MQTT broker; reconnecting',
      );
      socket.destroy(error);
    });
    socket.on(secure ? 'secureConnect' : 'connect', () => this.sendConnect(connection));
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.on('error', (error) => {
      this.lastError = errorMessage(error);
    });
    socket.on('close', () => {
      clearTimeout(connectTimer);
      this.onClose(connection);
    });
  }

  private sendConnect(connection: Connection): void {
    const v5 = this.settings.protocolVersion === 5;
    const connect: Packet = {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: this.settings.protocolVersion,
      clean: false,
      clientId: this.settings.clientId,
      keepalive: this.settings.keepaliveS,
      ...(this.settings.username !== undefined ? { username: this.settings.username } : {}),
      ...(this.settings.password !== undefined ? { password: Buffer.from(this.settings.password) } : {}),
      ...(v5
        ? {
            properties: {
              sessionExpiryInterval: this.settings.sessionExpiryS,
              receiveMaximum: Math.min(65_535, Math.max(1, this.settings.receiveMaximum)),
              requestProblemInformation: true,
            },
          }
        : {}),
    };
    this.write(connection, connect);
  }

  private onPacket(connection: Connection, packet: Packet, connectTimer: NodeJS.Timeout): void {
    if (connection !== this.connection) return;
    switch (packet.cmd) {
      case 'connack':
        clearTimeout(connectTimer);
        this.onConnack(connection, packet);
        return;
      case 'suback':
        this.onSuback(connection, packet);
        return;
      case 'publish':
        this.onPublish(connection, packet);
        return;
      case 'pubrel':
        this.write(connection, { cmd: 'pubcomp', messageId: packet.messageId });
        return;
      case 'pingresp':
        this.pingSentAt = undefined;
        return;
      case 'disconnect': {
        const reason = packet.reasonCode ?? 0;
        this.lastError = `broker sent DISCONNECT (reason 0x${reason.toString(16)}${packet.properties?.reasonString ? `: ${packet.properties.reasonString}` : ''})`;
        connection.socket.destroy();
        return;
      }
      default:
        return;
    }
  }

  private onConnack(connection: Connection, packet: IConnackPacket): void {
    const v5 = this.settings.protocolVersion === 5;
    const code = (v5 ? packet.reasonCode : packet.returnCode) ?? 0;
    if (v5 ? code >= 0x80 : code !== 0) {
      const reason = v5
        ? `reason 0x${code.toString(16)}${packet.properties?.reasonString ? ` (${packet.properties.reasonString})` : ''}`
        : (CONNACK_V3[code] ?? `return code ${code}`);
      const fatal = v5 ? AUTH_REFUSALS_V5.has(code) : AUTH_REFUSALS_V3.has(code);
      this.refuse(
        connection,
        new BridgeError(
          'MEKONG_MQTT_CONNECT_REFUSED',
          `the MQTT broker at ${this.settings.url} refused the connection: ${reason}${fatal ? ' — check MEKONG_MQTT_USERNAME, MEKONG_MQTT_PASSWORD and MEKONG_MQTT_CLIENT_ID' : ''}`,
        ),
        fatal,
      );
      return;
    }
    if (v5 && packet.properties?.sharedSubscriptionAvailable === false) {
      const shared = this.settings.topicFilters.filter((filter) => filter.startsWith('$share/'));
      if (shared.length > 0) {
        this.refuse(
          connection,
          new BridgeError(
            'MEKONG_MQTT_SHARED_SUBSCRIPTION_UNAVAILABLE',
            `the MQTT broker does not support shared subscriptions (${shared.join(', ')}): give each bridge instance its own topic filters instead`,
          ),
          true,
        );
        return;
      }
    }
    if (v5 && packet.properties?.serverKeepAlive !== undefined)
      this.keepaliveS = packet.properties.serverKeepAlive;
    connection.open = true;
    this.attempts = 0;
    this.lastError = undefined;
    this.since = Date.now();
    this.startKeepalive(connection);
    const reconnect = this.connectedOnce;
    this.connectedOnce = true;
    if (reconnect) this.reconnects += 1;
    this.logger.info(
      { event: 'mqtt_connected', sessionPresent: packet.sessionPresent, url: this.settings.url, reconnect },
      packet.sessionPresent
        ? 'connected to MQTT; the broker kept our session'
        : 'connected to MQTT with a new session',
    );
    this.events.connected?.({ sessionPresent: packet.sessionPresent, reconnect });
    if (packet.sessionPresent && reconnect) {
      // The broker kept our subscriptions: subscribing again would only make it resend retained messages.
      return;
    }
    this.write(connection, {
      cmd: 'subscribe',
      messageId: 1,
      // Retain handling 1: retained messages only for a subscription the session did not have yet.
      subscriptions: this.settings.topicFilters.map((topic) => ({
        topic,
        qos: 1,
        ...(this.settings.protocolVersion === 5 ? { rh: 1 } : {}),
      })),
    });
  }

  private onSuback(connection: Connection, packet: ISubackPacket): void {
    const granted = packet.granted as number[];
    const refused = this.settings.topicFilters.filter((_, index) => (granted[index] ?? 0x80) >= 0x80);
    if (refused.length > 0) {
      this.refuse(
        connection,
        new BridgeError(
          'MEKONG_MQTT_SUBSCRIBE_REFUSED',
          `the MQTT broker refused the subscription to ${refused.join(', ')} (codes ${granted.map((g) => `0x${g.toString(16)}`).join(', ')}): give the bridge's user the right to subscribe`,
        ),
        true,
      );
      return;
    }
    const downgraded = this.settings.topicFilters.filter((_, index) => granted[index] === 0);
    if (downgraded.length > 0) {
      this.logger.warn(
        { event: 'mqtt_qos_downgraded', filters: downgraded },
        'the broker granted QoS 0 only: messages lost while the bridge is away cannot be redelivered',
      );
    }
    this.logger.info({ event: 'mqtt_subscribed', filters: this.settings.topicFilters }, 'subscribed');
    this.settleFirst();
  }

  private onPublish(connection: Connection, packet: IPublishPacket): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const messageId = packet.messageId;
    let acked = false;
    const ack =
      packet.qos === 0 || messageId === undefined
        ? () => {}
        : () => {
            if (acked || connection !== this.connection || !connection.open) return;
            acked = true;
            this.write(connection, { cmd: packet.qos === 2 ? 'pubrec' : 'puback', messageId });
          };
    this.events.message({
      topic: packet.topic,
      payload,
      qos: packet.qos,
      dup: packet.dup,
      receivedAtMs: Date.now(),
      ack,
    });
  }

  private refuse(connection: Connection, error: BridgeError, fatal: boolean): void {
    this.lastError = error.message;
    this.logger.error({ event: 'mqtt_refused', code: error.code, err: error }, error.message);
    if (fatal) {
      this.closing = true;
      if (this.firstOutcome) {
        this.firstOutcome.reject(error);
        this.firstOutcome = undefined;
      } else {
        this.events.fatal?.(error);
      }
    }
    connection.socket.destroy();
  }

  private settleFirst(): void {
    this.firstOutcome?.resolve();
    this.firstOutcome = undefined;
  }

  private startKeepalive(connection: Connection): void {
    clearInterval(this.keepaliveTimer);
    if (this.keepaliveS === 0) return;
    const periodMs = (this.keepaliveS * 1000) / 2;
    this.pingSentAt = undefined;
    this.keepaliveTimer = setInterval(() => {
      if (connection !== this.connection || !connection.open) return;
      const now = Date.now();
      // A PINGRESP cannot be read while the socket is paused for back-pressure; only judge when reading.
      if (this.pingSentAt !== undefined && !this.paused && now - this.pingSentAt > this.keepaliveS * 1000) {
        this.lastError = `no PINGRESP within ${this.keepaliveS} s`;
        connection.socket.destroy();
        return;
      }
      if (now - this.lastSentAt >= periodMs && this.pingSentAt === undefined) {
        this.pingSentAt = now;
        this.write(connection, { cmd: 'pingreq' });
      }
    }, periodMs / 2);
    this.keepaliveTimer.unref();
  }

  private onClose(connection: Connection): void {
    if (connection !== this.connection) return;
    const wasOpen = connection.open;
    connection.open = false;
    clearInterval(this.keepaliveTimer);
    if (wasOpen) {
      this.since = Date.now();
      this.logger.warn(
        { event: 'mqtt_disconnected', code: 'MEKONG_MQTT_UNREACHABLE', reason: this.lastError },
        'lost the MQTT connection; reconnecting',
      );
      this.events.disconnected?.({
        reason: this.lastError ?? 'connection closed',
        code: 'MEKONG_MQTT_UNREACHABLE',
      });
    }
    if (this.closing) return;
    if (this.paused) {
      // Full of messages Kafka has not taken yet: reconnect once there is room to read again.
      this.reconnectWhenResumed = true;
      return;
    }
    this.attempts += 1;
    const delay = backoffDelay(this.attempts, this.settings.reconnect, Math.random());
    if (!wasOpen) {
      this.logger.warn(
        {
          event: 'mqtt_connect_failed',
          code: 'MEKONG_MQTT_UNREACHABLE',
          reason: this.lastError,
          attempt: this.attempts,
          retryInMs: delay,
        },
        `cannot reach the MQTT broker at ${this.settings.url}; retrying`,
      );
    }
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  private write(connection: Connection, packet: Packet): void {
    const { socket } = connection;
    if (socket.destroyed) return;
    this.lastSentAt = Date.now();
    // A batch acknowledged by Kafka releases many PUBACKs at once: send them in one TCP write.
    if (socket.writableCorked === 0) {
      socket.cork();
      process.nextTick(() => socket.uncork());
    }
    socket.write(
      packet.cmd === 'puback'
        ? pubackBytes(packet.messageId ?? 0)
        : mqttPacket.generate(packet, this.generateOptions),
    );
  }
}

/** PUBACK with reason 0 is the same four bytes in 3.1.1 and 5 (MQTT 5 §3.4.2.1 lets both be omitted). */
function pubackBytes(messageId: number): Buffer {
  return Buffer.from([0x40, 0x02, messageId >> 8, messageId & 0xff]);
}
