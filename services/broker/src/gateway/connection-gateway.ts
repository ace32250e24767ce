import { randomUUID } from 'node:crypto';
import { Duplex } from 'node:stream';
import type { Logger } from '@mekong/runtime';
import mqttPacket, { type IConnectPacket, type Packet } from 'mqtt-packet';
import { compileAcl, type TopicAcl } from '../acl/topic-acl.js';
import type { Authenticator } from '../auth/authenticate.js';
import type { Identity } from '../auth/identity.js';
import { TokenBucket } from '../limits/rate-limiter.js';
import { checkTopicLimits } from '../limits/topic-limits.js';
import type { BrokerMetrics, Transport } from '../metrics/broker-metrics.js';
import { FrameError, FrameReader, FrameScanner } from '../protocol/frame-reader.js';
import { type PublishHeader, readPublishHeader } from '../protocol/publish-header.js';
import { connackCodeV3, ReasonCode } from '../protocol/reason-codes.js';
import { connectForAedes, inboundToV4, outboundToV5 } from '../protocol/v5-translate.js';
import { type RefusalReason, refusals } from '../refusals.js';
import { validateAtEdge } from '../validation/edge-validation.js';
import { RefusalLog } from './refusal-log.js';

export interface GatewayLimits {
  maxPacketSize: number;
  maxTopicLength: number;
  maxTopicDepth: number;
  /** Inbound QoS 1/2 publishes a client may have unacknowledged; past it the broker stops reading it. */
  maxInflight: number;
  maxConnections: number;
  /** Publishes a second per client, by role; 0 = unlimited. */
  publishRate: { device: number; service: number; admin: number };
  /** Bucket size in publishes. */
  publishBurst: number;
  connectTimeoutMs: number;
}

/** What the aedes hooks need to know about the client behind a connection. */
export interface Session {
  identity: Identity;
  acl: TopicAcl;
  clientId: string;
}

export interface GatewayContext {
  /** Hands a connection to aedes (`aedes.handle`). */
  handle: (stream: Duplex) => void;
  authenticate: Authenticator;
  limits: GatewayLimits;
  validation: { enabled: boolean; maxPayloadBytes: number };
  metrics: BrokerMetrics;
  logger: Logger;
  /** Sessions by the stream aedes sees, for the authorisation hooks. */
  sessions: WeakMap<Duplex, Session>;
  gateways: Set<ConnectionGateway>;
  shuttingDown: () => boolean;
}

type State = 'connecting' | 'authenticating' | 'open' | 'closed';

const PUBLISH = 3;
const PUBACK = 4;
const PUBREC = 5;
const PUBCOMP = 7;

/**
 * Sits between a client's socket and aedes, one per connection. Aedes 1.x speaks MQTT 3.1.1 only
 * and has no packet-size limit, no reason codes and no rate limits; the gateway adds them:
 *
 * - cuts the byte stream into packets, refusing a too-large one from its header alone;
 * - authenticates CONNECT itself and answers refusals with CONNACK reason codes;
 * - checks every PUBLISH (UTF-8 topic, topic limits, ACL, rate, payload contract) and answers a
 *   refusal with its MQTT 5 PUBACK/PUBREC reason code, or as 3.1.1 allows;
 * - stops reading a client that reaches its in-flight limit (TCP back-pressure);
 * - for MQTT 5 clients, translates packets to 3.1.1 for aedes and back.
 *
 * 3.1.1 packets that pass are forwarded as the original bytes; only MQTT 5 packets are re-encoded.
 */
export class ConnectionGateway {
  private state: State = 'connecting';
  private readonly reader: FrameReader;
  private inner: Duplex | undefined;
  private protocolVersion = 4;
  private session: Session | undefined;
  private bucket: TokenBucket | undefined;
  private inflight = 0;
  private corked = false;
  private innerBlocked = false;
  private readonly refusalLog: RefusalLog;
  private readonly connectTimer: NodeJS.Timeout;
  private forward: Buffer[] = [];
  private counted = false;
  private endCause: 'disconnect' | 'dropped' | 'refused' | 'shutdown' = 'dropped';
  // 3.1.1: aedes's bytes go out unchanged; the scanner finds packet boundaries for injected packets.
  private scanner: FrameScanner | undefined;
  private pendingInjections: Buffer[] = [];
  // MQTT 5 only
  private inboundParser: ReturnType<typeof mqttPacket.parser> | undefined;
  private unsubscribeCounts = new Map<number, number>();
  private assignedClientId: string | undefined;
  private v5ParseError: Error | undefined;

  constructor(
    private readonly socket: Duplex,
    private readonly transport: Transport,
    private readonly remote: string,
    private readonly ctx: GatewayContext,
  ) {
    this.reader = new FrameReader(ctx.limits.maxPacketSize);
    this.refusalLog = new RefusalLog(ctx.logger);
    ctx.gateways.add(this);
    // Only a client that sent no CONNECT in time is refused: not one whose credentials are still being
    // checked, and not one whose CONNECT is waiting to be read. Timers run before the event loop reads
    // sockets, so on a busy broker the check waits until this turn's input has been read.
    this.connectTimer = setTimeout(() => {
      setImmediate(() => {
        if (this.state === 'connecting') this.refuseAndClose('connect_timeout', {});
      });
    }, ctx.limits.connectTimeoutMs);
    this.connectTimer.unref();
    socket.on('data', (chunk: Buffer) => this.guarded(() => this.onData(chunk)));
    socket.on('end', () =>
      this.guarded(() => {
        if (this.inner) this.inner.push(null);
        else this.destroy();
      }),
    );
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  /**
   * Runs one step of this connection's work. A fault in it (a bug of ours or of a library, reached by
   * whatever the client sent) ends this connection with a reason code, is counted and logged, and never
   * reaches the process: one device must not take down the broker, nor the bridges sharing its process.
   */
  guarded(step: () => void, onFault?: () => void): void {
    try {
      step();
    } catch (error) {
      this.fault(error);
      onFault?.();
    }
  }

  private fault(error: unknown): void {
    this.ctx.logger.error(
      {
        event: 'connection_fault',
        code: refusals.internal_error.code,
        clientId: this.session?.clientId,
        username: this.session?.identity.username,
        remote: this.remote,
        err: error,
      },
      'a connection failed while handling its input; closed',
    );
    try {
      this.refuseAndClose('internal_error', {});
    } catch {
      this.state = 'closed';
      this.socket.destroy();
    }
  }

  /** Broker shutdown: connections that aedes does not know yet are simply closed. */
  shutdown(): void {
    if (this.endCause === 'dropped') this.endCause = 'shutdown';
    this.close();
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  private onData(chunk: Buffer): void {
    this.ctx.metrics.bytesIn.inc(chunk.length);
    this.reader.push(chunk);
    this.pump();
  }

  private blocked(): boolean {
    return (
      this.state === 'authenticating' ||
      this.state === 'closed' ||
      this.innerBlocked ||
      this.inflight >= this.ctx.limits.maxInflight
    );
  }

  private pump(): void {
    try {
      while (!this.blocked()) {
        // Not even the start of a CONNECT: no need to wait for the rest of whatever it is.
        if (
          this.state === 'connecting' &&
          this.reader.peekFirstByte() !== undefined &&
          this.reader.peekFirstByte() !== 0x10
        ) {
          this.refuseAndClose('protocol_error', { detail: 'the first packet must be CONNECT' });
          return;
        }
        const frame = this.reader.read();
        if (!frame) break;
        this.onFrame(frame);
      }
    } catch (error) {
      if (error instanceof FrameError) {
        this.flushForward();
        this.refuseAndClose(error.kind, { size: error.size, detail: error.message });
        return;
      }
      throw error;
    }
    this.flushForward();
    this.updateFlow();
  }

  private updateFlow(): void {
    if (this.state === 'closed') return;
    if (this.blocked()) {
      if (!this.socket.isPaused()) this.socket.pause();
    } else if (this.socket.isPaused()) {
      this.socket.resume();
    }
  }

  private onFrame(frame: Buffer): void {
    const type = (frame[0] ?? 0) >> 4;
    if (this.state === 'connecting') {
      if (type !== 1) {
        this.refuseAndClose('protocol_error', { detail: 'the first packet must be CONNECT' });
        return;
      }
      this.onConnect(frame);
      return;
    }
    switch (type) {
      case PUBLISH:
        this.onPublish(frame);
        return;
      case 8: // SUBSCRIBE
      case 10: // UNSUBSCRIBE
      case 4: // PUBACK
      case 5: // PUBREC
      case 6: // PUBREL
      case 7: // PUBCOMP
      case 12: // PINGREQ
        this.forwardFrame(frame);
        return;
      case 14: // DISCONNECT
        this.endCause = 'disconnect';
        // MQTT 5 "disconnect with will message" (0x04): close without DISCONNECT so aedes sends the will.
        if (this.protocolVersion === 5 && frame.length >= 3 && frame[2] === 0x04) {
          this.flushForward();
          this.inner?.destroy();
          return;
        }
        this.forwardFrame(frame);
        return;
      default:
        this.refuseAndClose('protocol_error', {
          detail: `packet type ${type} is not allowed from a client`,
        });
        return;
    }
  }

  private onConnect(frame: Buffer): void {
    let connect: IConnectPacket | undefined;
    let parseError: Error | undefined;
    const parser = mqttPacket.parser();
    parser.on('packet', (packet: Packet) => {
      if (packet.cmd === 'connect') connect = packet;
    });
    parser.on('error', (error: Error) => {
      parseError = error;
    });
    parser.parse(frame);
    if (!connect) {
      // An unknown protocol level is the one CONNECT error with its own answer [MQTT-3.1.2-2].
      if (parseError && /protocol version/i.test(parseError.message)) {
        this.writeRaw(mqttPacket.generate({ cmd: 'connack', returnCode: 1, sessionPresent: false }));
        this.refuseAndClose('unsupported_protocol', { detail: parseError.message });
        return;
      }
      this.refuseAndClose('malformed_packet', { detail: parseError?.message ?? 'unreadable CONNECT' });
      return;
    }
    const packet = connect;
    this.protocolVersion = packet.protocolVersion ?? 4;
    if (![3, 4, 5].includes(this.protocolVersion)) {
      this.connack(ReasonCode.unsupportedProtocolVersion);
      this.refuseAndClose('unsupported_protocol', {});
      return;
    }
    if (packet.properties?.authenticationMethod) {
      this.connack(ReasonCode.badUserNameOrPassword);
      this.refuseAndClose('bad_credentials', { detail: 'enhanced authentication is not supported' });
      return;
    }
    this.state = 'authenticating';
    this.updateFlow();
    this.ctx
      .authenticate({ username: packet.username, password: packet.password, remote: this.remote })
      .then((result) => this.guarded(() => this.onAuthenticated(packet, result)))
      .catch((error: unknown) => {
        this.ctx.logger.error({ event: 'authenticate_failed', err: error }, 'authentication failed');
        this.connack(ReasonCode.serverUnavailable);
        this.close();
      });
  }

  private onAuthenticated(packet: IConnectPacket, result: Awaited<ReturnType<Authenticator>>): void {
    if (this.state !== 'authenticating') return;
    const fields = { clientId: packet.clientId, username: packet.username };
    if (!result.ok) {
      this.connack(refusals[result.reason].reasonCode);
      this.refuseAndClose(result.reason, fields);
      return;
    }
    const identity = result.identity;
    let clientId = packet.clientId;
    if (clientId === '') {
      if (!packet.clean && this.protocolVersion < 5) {
        this.connack(ReasonCode.clientIdentifierNotValid);
        this.refuseAndClose('client_id_rejected', {
          ...fields,
          detail: 'a persistent session needs a client id',
        });
        return;
      }
      clientId = `${identity.username}-${randomUUID().slice(0, 8)}`;
      this.assignedClientId = clientId;
    }
    if (!clientIdAllowed(identity, clientId)) {
      this.connack(ReasonCode.clientIdentifierNotValid);
      this.refuseAndClose('client_id_rejected', {
        ...fields,
        detail: `the client id must be "${identity.username}" or start with "${identity.username}-"`,
      });
      return;
    }
    if (this.ctx.shuttingDown()) {
      this.connack(ReasonCode.serverUnavailable);
      this.close();
      return;
    }
    let open = 0;
    for (const gateway of this.ctx.gateways) if (gateway.isOpen) open++;
    if (open >= this.ctx.limits.maxConnections) {
      this.connack(ReasonCode.quotaExceeded);
      this.refuseAndClose('too_many_connections', {
        ...fields,
        limit: this.ctx.limits.maxConnections,
      });
      return;
    }
    clearTimeout(this.connectTimer);
    this.session = { identity, acl: compileAcl(identity), clientId };
    const rate = identity.role === 'anonymous' ? 0 : this.ctx.limits.publishRate[identity.role];
    if (rate > 0) this.bucket = new TokenBucket(rate, Math.max(1, this.ctx.limits.publishBurst), Date.now());
    this.state = 'open';
    this.counted = true;
    this.ctx.metrics.connections.labels(this.transport).inc();
    this.ctx.metrics.connectionsTotal.labels(this.transport, String(this.protocolVersion)).inc();
    this.inner = this.createInner();
    this.ctx.sessions.set(this.inner, this.session);
    this.ctx.handle(this.inner);
    this.pushToAedes(mqttPacket.generate(connectForAedes(packet, clientId, identity.username)));
    this.pump();
  }

  private onPublish(frame: Buffer): void {
    const parsed = readPublishHeader(frame, this.protocolVersion);
    if (!parsed.ok) {
      this.refuseAndClose('malformed_packet', { detail: parsed.message });
      return;
    }
    const header = parsed.value;
    const session = this.session as Session;
    const limit = checkTopicLimits(header.topic, this.ctx.limits);
    if (limit) {
      this.refusePublish(limit, header);
      return;
    }
    if (!session.acl.canPublish(header.topic)) {
      this.refusePublish('topic_not_allowed', header);
      return;
    }
    if (this.bucket && !this.bucket.take(Date.now())) {
      this.refusePublish('rate_exceeded', header);
      return;
    }
    if (this.ctx.validation.enabled) {
      const issue = validateAtEdge(header.topic, header.payload, this.ctx.validation.maxPayloadBytes);
      if (issue) {
        this.refusePublish('payload_invalid', header, { issue });
        return;
      }
    }
    this.ctx.metrics.messageIn(header.qos);
    if (header.qos > 0) {
      this.inflight++;
      if (this.inflight === this.ctx.limits.maxInflight) this.ctx.metrics.backpressure.inc();
    }
    this.forwardFrame(frame);
  }

  private refusePublish(
    reason: RefusalReason,
    header: PublishHeader,
    extra: Record<string, unknown> = {},
  ): void {
    const v5 = this.protocolVersion === 5;
    const fatalForV3 =
      reason === 'topic_not_allowed' || reason === 'topic_too_long' || reason === 'topic_too_deep';
    if (!v5 && (fatalForV3 || (reason === 'rate_exceeded' && header.qos > 0))) {
      // MQTT 3.1.1 has no negative PUBACK: closing is the refusal the client notices [MQTT-3.3.5-2],
      // and an unacknowledged QoS 1 message is sent again after the reconnect, not lost.
      this.refuseAndClose(reason, { topic: abbreviate(header.topic), qos: header.qos, ...extra });
      return;
    }
    this.ctx.metrics.refused(reason);
    this.refusalLog.refused(reason, {
      clientId: this.session?.clientId,
      username: this.session?.identity.username,
      remote: this.remote,
      topic: abbreviate(header.topic),
      qos: header.qos,
      ...extra,
    });
    if (header.qos === 0) return;
    // Forward what came before, so the answer is ordered after the acknowledgements it follows.
    this.flushForward();
    const reasonCode = v5 ? refusals[reason].reasonCode : ReasonCode.success;
    const cmd = header.qos === 1 ? 'puback' : 'pubrec';
    this.inject(
      mqttPacket.generate({ cmd, messageId: header.messageId, reasonCode } as Packet, this.writeOptions()),
    );
  }

  private forwardFrame(frame: Buffer): void {
    if (this.protocolVersion !== 5) {
      this.forward.push(frame);
      return;
    }
    this.v5Parser().parse(frame);
    if (this.v5ParseError) this.refuseAndClose('malformed_packet', { detail: this.v5ParseError.message });
  }

  private v5Parser() {
    if (!this.inboundParser) {
      const parser = mqttPacket.parser({ protocolVersion: 5 });
      parser.on('packet', (packet: Packet) => {
        if (packet.cmd === 'publish' && packet.properties?.topicAlias !== undefined) {
          this.closeV5(
            ReasonCode.topicAliasInvalid,
            'protocol_error',
            'topic aliases are not supported (maximum 0)',
          );
          return;
        }
        this.forward.push(mqttPacket.generate(inboundToV4(packet, this.unsubscribeCounts)));
      });
      parser.on('error', (error: Error) => {
        this.v5ParseError = error;
      });
      this.inboundParser = parser;
    }
    return this.inboundParser;
  }

  /** Sends the accepted packets to aedes, contiguous bytes in one piece. */
  private flushForward(): void {
    const frames = this.forward;
    if (frames.length === 0) return;
    this.forward = [];
    let runStart = frames[0] as Buffer;
    let runLength = runStart.length;
    for (let i = 1; i < frames.length; i++) {
      const frame = frames[i] as Buffer;
      if (frame.buffer === runStart.buffer && frame.byteOffset === runStart.byteOffset + runLength) {
        runLength += frame.length;
      } else {
        this.pushToAedes(Buffer.from(runStart.buffer, runStart.byteOffset, runLength));
        runStart = frame;
        runLength = frame.length;
      }
    }
    this.pushToAedes(Buffer.from(runStart.buffer, runStart.byteOffset, runLength));
  }

  private pushToAedes(bytes: Buffer): void {
    if (!this.inner || this.inner.destroyed) return;
    if (!this.inner.push(bytes)) this.innerBlocked = true;
  }

  private createInner(): Duplex {
    const v5 = this.protocolVersion === 5;
    const outboundParser = v5 ? mqttPacket.parser() : undefined;
    const server = {
      maximumPacketSize: this.ctx.limits.maxPacketSize,
      receiveMaximum: this.ctx.limits.maxInflight,
      ...(this.assignedClientId ? { assignedClientIdentifier: this.assignedClientId } : {}),
    };
    if (outboundParser) {
      outboundParser.on('packet', (packet: Packet) => {
        this.onOutboundPacket(packet);
        this.writeRaw(
          mqttPacket.generate(outboundToV5(packet, this.unsubscribeCounts, server), { protocolVersion: 5 }),
        );
      });
    } else {
      this.scanner = new FrameScanner((first) => this.onOutboundType(first));
    }
    const afterWrite = (callback: (error?: Error | null) => void, flushed: boolean) => {
      if (this.pendingInjections.length > 0 && (this.scanner?.atBoundary ?? true)) {
        for (const packet of this.pendingInjections.splice(0)) this.writeRaw(packet);
      }
      if (flushed || this.socket.destroyed) callback();
      else this.socket.once('drain', () => callback());
    };
    const writeChunks = (chunks: Buffer[], callback: (error?: Error | null) => void) => {
      if (this.socket.destroyed || this.socket.writableEnded) return callback();
      if (outboundParser) {
        for (const chunk of chunks) outboundParser.parse(chunk);
        return afterWrite(callback, this.socket.writableLength < this.socket.writableHighWaterMark);
      }
      for (const chunk of chunks) this.scanner?.scan(chunk);
      const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      afterWrite(callback, this.writeRaw(bytes));
    };
    return new Duplex({
      read: () => {
        if (this.innerBlocked) {
          this.innerBlocked = false;
          this.pump();
        }
      },
      write: (chunk: Buffer, _encoding, callback) =>
        this.guarded(() => writeChunks([chunk], callback), callback),
      writev: (chunks, callback) =>
        this.guarded(
          () =>
            writeChunks(
              chunks.map((c) => c.chunk as Buffer),
              callback,
            ),
          callback,
        ),
      final: (callback) => {
        this.endSocket();
        callback();
      },
      destroy: (error, callback) => {
        if (v5 && this.ctx.shuttingDown() && this.state === 'open') {
          this.writeRaw(
            mqttPacket.generate(
              { cmd: 'disconnect', reasonCode: ReasonCode.serverShuttingDown },
              { protocolVersion: 5 },
            ),
          );
        }
        this.endSocket();
        callback(error);
      },
    });
  }

  private onOutboundPacket(packet: Packet): void {
    if (packet.cmd === 'publish') this.ctx.metrics.messageOut(packet.qos);
    else if (packet.cmd === 'puback' || packet.cmd === 'pubcomp') this.acknowledged();
  }

  private onOutboundType(first: number): void {
    const type = first >> 4;
    if (type === PUBLISH) this.ctx.metrics.messageOut((first >> 1) & 0x03);
    else if (type === PUBACK || type === PUBCOMP) this.acknowledged();
    else if (type === PUBREC) return;
  }

  private acknowledged(): void {
    if (this.inflight === 0) return;
    const wasBlocked = this.inflight >= this.ctx.limits.maxInflight;
    this.inflight--;
    if (wasBlocked) setImmediate(() => this.pump());
  }

  /** Writes a packet of the gateway's own between two of aedes's packets. */
  private inject(packet: Buffer): void {
    if (this.scanner && !this.scanner.atBoundary) this.pendingInjections.push(packet);
    else this.writeRaw(packet);
  }

  private writeRaw(bytes: Buffer): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return true;
    this.ctx.metrics.bytesOut.inc(bytes.length);
    // aedes writes every PUBLISH and PUBACK on its own, each from its own setImmediate: corked until
    // the next turn of the event loop, they leave in one writev instead of a syscall each (the
    // broker's largest single cost under load before).
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(this.uncork);
    }
    return this.socket.write(bytes);
  }

  private readonly uncork = (): void => {
    this.corked = false;
    if (!this.socket.destroyed) this.socket.uncork();
  };

  private writeOptions() {
    return { protocolVersion: this.protocolVersion };
  }

  private connack(reasonCode: number): void {
    const packet =
      this.protocolVersion === 5
        ? { cmd: 'connack' as const, reasonCode, sessionPresent: false }
        : { cmd: 'connack' as const, returnCode: connackCodeV3(reasonCode), sessionPresent: false };
    this.writeRaw(mqttPacket.generate(packet, this.writeOptions()));
  }

  private closeV5(reasonCode: number, reason: RefusalReason, detail: string): void {
    this.writeRaw(mqttPacket.generate({ cmd: 'disconnect', reasonCode }, { protocolVersion: 5 }));
    this.refuseAndClose(reason, { detail });
  }

  /** Counts and logs a refusal, tells an MQTT 5 client why when a packet was at fault, and closes. */
  private refuseAndClose(reason: RefusalReason, fields: Record<string, unknown>): void {
    if (this.state === 'closed') return;
    this.endCause = 'refused';
    this.ctx.metrics.refused(reason);
    this.refusalLog.refused(reason, {
      clientId: this.session?.clientId,
      username: this.session?.identity.username,
      remote: this.remote,
      transport: this.transport,
      ...fields,
    });
    const afterConnect = this.state === 'open' && this.protocolVersion === 5;
    if (afterConnect && reason !== 'connect_timeout') {
      this.writeRaw(
        mqttPacket.generate(
          { cmd: 'disconnect', reasonCode: refusals[reason].reasonCode },
          { protocolVersion: 5 },
        ),
      );
    }
    this.close();
  }

  private close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.endSocket();
    this.destroy();
  }

  private endSocket(): void {
    if (this.socket.destroyed) return;
    if (!this.socket.writableEnded) this.socket.end();
    // A client that never reads must not keep the socket (and its buffers) alive.
    setTimeout(() => this.socket.destroy(), 2_000).unref();
  }

  private destroy(): void {
    if (this.state !== 'closed') this.state = 'closed';
    clearTimeout(this.connectTimer);
    if (this.counted) {
      this.counted = false;
      this.ctx.metrics.connections.labels(this.transport).dec();
      if (this.ctx.shuttingDown() && this.endCause === 'dropped') this.endCause = 'shutdown';
      this.ctx.metrics.disconnects.labels(this.endCause).inc();
    }
    this.ctx.gateways.delete(this);
    if (this.inner && !this.inner.destroyed) this.inner.destroy();
    if (!this.socket.destroyed && this.socket.writableEnded) return;
    if (!this.socket.destroyed && !this.socket.writableEnded) this.endSocket();
  }
}

function clientIdAllowed(identity: Identity, clientId: string): boolean {
  if (identity.role === 'admin' || identity.role === 'anonymous') return true;
  return clientId === identity.username || clientId.startsWith(`${identity.username}-`);
}

function abbreviate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
