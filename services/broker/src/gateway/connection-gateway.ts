import { randomUUID } from 'node:crypto';
import { Duplex } from 'node:stream';
import type { Logger } from '@mekong/runtime';
import mqttPacket, { type IConnectPacket, type Packet } from 'mqtt-packet';
import { compileAcl, type TopicAcl } from '../acl/topic-acl.js';
import type { Authenticator } from '../auth/authenticate.js';
import type { Identity } from '../auth/identity.js';
import type { IdentityLimits } from '../limits/identity-limits.js';
import type { PendingBudget } from '../limits/pending-budget.js';
import type { TokenBucket } from '../limits/rate-limiter.js';
import { checkTopicLimits } from '../limits/topic-limits.js';
import type { BrokerMetrics, Transport } from '../metrics/broker-metrics.js';
import { connectForAedes } from '../protocol/connect-for-aedes.js';
import { FrameError, FrameReader, FrameScanner } from '../protocol/frame-reader.js';
import { type PublishHeader, readPublishHeader } from '../protocol/publish-header.js';
import { connackCodeV3, ReasonCode } from '../protocol/reason-codes.js';
import { type RefusalReason, refusals } from '../refusals.js';
import type { SessionOwners } from '../sessions/session-owners.js';
import { validateAtEdge } from '../validation/edge-validation.js';
import { OutboundFlow, type OutboundLimits } from './outbound-flow.js';
import { addressOf, type RefusalLog } from './refusal-log.js';

export interface GatewayLimits {
  maxPacketSize: number;
  maxTopicLength: number;
  maxTopicDepth: number;
  /** Inbound QoS 1/2 publishes a client may have unacknowledged; past it the broker stops reading it. */
  maxInflight: number;
  maxConnections: number;
  /** Connections one device or service may hold at once. */
  maxConnectionsPerIdentity: number;
  /** Sockets without CONNECT yet, per address and in all. */
  maxPendingPerAddress: number;
  maxPending: number;
  /** Topic filters one client may hold. */
  maxSubscriptions: number;
  /** Longest keep alive (s) an MQTT 5 client gets; longer or 0 is answered with Server Keep Alive. */
  maxKeepAlive: number;
  /** MQTT 5 Topic Alias Maximum the broker announces; 0 = no aliases. */
  topicAliasMaximum: number;
  /** What happens to a device's retained publish (and retained will). */
  deviceRetain: 'ignore' | 'refuse' | 'allow';
  /** Publishes a second per identity (all its connections together), by role; 0 = unlimited. */
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
  /** Shared by every connection, so reconnecting does not reset it. */
  refusalLog: RefusalLog;
  identityLimits: IdentityLimits;
  pending: PendingBudget;
  owners: SessionOwners;
  /** Whether `username` is a user of the credentials file (for the client id rule). */
  userExists: (username: string) => Promise<boolean>;
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
  private readonly address: string;
  /** Holds a slot of the pending budget until CONNECT arrives or the socket goes. */
  private pendingHeld = true;
  private identityHeld = false;
  private readonly topicAliases = new Map<number, string>();
  private readonly connectTimer: NodeJS.Timeout;
  private forward: Buffer[] = [];
  private counted = false;
  private generatedClientId: string | undefined;
  private endCause: 'disconnect' | 'dropped' | 'refused' | 'shutdown' = 'dropped';
  // aedes's bytes go out unchanged; the scanner finds packet boundaries for injected packets.
  private scanner: FrameScanner | undefined;
  /** MQTT 5 clients that limit what the broker sends them (see outbound-flow.ts). */
  private outbound: OutboundLimits | undefined;
  private flow: OutboundFlow | undefined;
  private pendingInjections: Buffer[] = [];

  constructor(
    private readonly socket: Duplex,
    private readonly transport: Transport,
    private readonly remote: string,
    private readonly ctx: GatewayContext,
  ) {
    this.reader = new FrameReader(ctx.limits.maxPacketSize);
    this.address = addressOf(remote);
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
      case 4: // PUBACK
      case 7: // PUBCOMP
        this.flow?.acknowledged();
        this.forwardFrame(frame);
        return;
      case 5: // PUBREC: a reason code of 0x80 or more ends the exchange [MQTT-4.3.3-4]
        if (frame.length > 4 && (frame[4] as number) >= 0x80) this.flow?.acknowledged();
        this.forwardFrame(frame);
        return;
      case 8: // SUBSCRIBE
      case 10: // UNSUBSCRIBE
      case 6: // PUBREL
      case 12: // PINGREQ
        this.forwardFrame(frame);
        return;
      case 14: // DISCONNECT
        this.endCause = 'disconnect';
        this.forwardFrame(frame);
        return;
      case 15: // AUTH
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
    this.releasePending();
    this.protocolVersion = packet.protocolVersion ?? 4;
    if (![3, 4, 5].includes(this.protocolVersion)) {
      this.connack(ReasonCode.unsupportedProtocolVersion);
      this.refuseAndClose('unsupported_protocol', {});
      return;
    }
    if (packet.properties?.receiveMaximum === 0) {
      // [MQTT-3.1.2-17] Receive Maximum 0 is a protocol error.
      this.connack(ReasonCode.protocolError);
      this.refuseAndClose('protocol_error', { detail: 'Receive Maximum 0' });
      return;
    }
    if (packet.properties?.authenticationMethod) {
      // [MQTT-4.12.0-1] an authentication method the server does not support: 0x8C.
      this.connack(ReasonCode.badAuthenticationMethod);
      this.refuseAndClose('bad_credentials', { detail: 'enhanced authentication is not supported' });
      return;
    }
    this.state = 'authenticating';
    this.updateFlow();
    this.ctx
      .authenticate({ username: packet.username, password: packet.password, remote: this.remote })
      .then(async (result) => {
        const owner = result.ok
          ? await this.ctx.owners.ownerOf(this.clientIdFor(packet, result.identity))
          : undefined;
        const squatted = result.ok
          ? await this.belongsToAnotherUser(packet.clientId, result.identity)
          : false;
        this.guarded(() => this.onAuthenticated(packet, result, owner, squatted));
      })
      .catch((error: unknown) => {
        this.ctx.logger.error({ event: 'authenticate_failed', err: error }, 'authentication failed');
        this.connack(ReasonCode.serverUnavailable);
        this.close();
      });
  }

  /** The client id the session will have: the client's own, or one made for an empty one. */
  private clientIdFor(packet: IConnectPacket, identity: Identity): string {
    if (packet.clientId !== '') return packet.clientId;
    this.generatedClientId ??= `${identity.username}-${randomUUID().slice(0, 8)}`;
    return this.generatedClientId;
  }

  /**
   * A client id in the form `<username>-…` is in the name space of the longest username it starts
   * with: `dev-a-1` belongs to user `dev-a`, not to user `dev`, when both exist.
   */
  private async belongsToAnotherUser(clientId: string, identity: Identity): Promise<boolean> {
    if (identity.role === 'anonymous' || !clientId.startsWith(`${identity.username}-`)) return false;
    for (let i = clientId.indexOf('-', identity.username.length + 1); ; i = clientId.indexOf('-', i + 1)) {
      const longer = i === -1 ? clientId : clientId.slice(0, i);
      if (await this.ctx.userExists(longer)) return true;
      if (i === -1) return false;
    }
  }

  private onAuthenticated(
    packet: IConnectPacket,
    result: Awaited<ReturnType<Authenticator>>,
    owner: string | undefined,
    squatted: boolean,
  ): void {
    if (this.state !== 'authenticating') return;
    const fields = { clientId: packet.clientId, username: packet.username };
    if (!result.ok) {
      this.connack(refusals[result.reason].reasonCode);
      this.refuseAndClose(result.reason, fields);
      return;
    }
    const identity = result.identity;
    if (packet.clientId === '' && !packet.clean && this.protocolVersion < 5) {
      this.connack(ReasonCode.clientIdentifierNotValid);
      this.refuseAndClose('client_id_rejected', {
        ...fields,
        detail: 'a persistent session needs a client id',
      });
      return;
    }
    const clientId = this.clientIdFor(packet, identity);
    if (!clientIdAllowed(identity, clientId) || squatted) {
      this.connack(ReasonCode.clientIdentifierNotValid);
      this.refuseAndClose('client_id_rejected', {
        ...fields,
        detail: squatted
          ? 'the client id belongs to another user (the longest username it starts with)'
          : `the client id must be "${identity.username}" or start with "${identity.username}-"`,
      });
      return;
    }
    if (owner !== undefined && owner !== identity.username) {
      this.connack(ReasonCode.clientIdentifierNotValid);
      this.refuseAndClose('session_taken', {
        ...fields,
        detail: 'the client id belongs to another identity',
      });
      return;
    }
    const acl = compileAcl(identity);
    if (packet.will) {
      const will = packet.will;
      // [MQTT-3.1.3-11] the Will Topic is a topic name: not empty, no wildcards.
      if (will.topic === '' || /[+#]/.test(will.topic)) {
        this.connack(ReasonCode.topicNameInvalid);
        this.refuseAndClose('malformed_packet', { ...fields, detail: 'the will topic is not a topic name' });
        return;
      }
      const refusal =
        checkTopicLimits(will.topic, this.ctx.limits) ??
        (acl.canPublish(will.topic) ? undefined : 'will_not_allowed');
      if (refusal) {
        this.connack(ReasonCode.notAuthorized);
        this.refuseAndClose(refusal, {
          ...fields,
          topic: will.topic,
          detail: 'the will topic is outside what this client may publish',
        });
        return;
      }
      if (will.retain && identity.role === 'device' && this.ctx.limits.deviceRetain !== 'allow') {
        if (this.ctx.limits.deviceRetain === 'refuse') {
          this.connack(ReasonCode.notAuthorized);
          this.refuseAndClose('retain_not_allowed', { ...fields, topic: will.topic });
          return;
        }
        will.retain = false;
      }
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
      this.refuseAndClose('too_many_connections', { ...fields, limit: this.ctx.limits.maxConnections });
      return;
    }
    if (!this.ctx.identityLimits.acquire(identity)) {
      this.connack(ReasonCode.quotaExceeded);
      this.refuseAndClose('too_many_connections_for_identity', {
        ...fields,
        limit: this.ctx.limits.maxConnectionsPerIdentity,
      });
      return;
    }
    this.identityHeld = true;
    clearTimeout(this.connectTimer);
    this.session = { identity, acl, clientId };
    this.bucket = this.ctx.identityLimits.bucket(identity, Date.now());
    this.state = 'open';
    this.counted = true;
    this.ctx.metrics.connections.labels(this.transport).inc();
    this.ctx.metrics.connectionsTotal.labels(this.transport, String(this.protocolVersion)).inc();
    if (owner === undefined) {
      this.ctx.owners
        .claim(clientId, identity.username)
        .catch((error: unknown) =>
          this.ctx.logger.error(
            { event: 'session_owner_store_failed', err: error },
            'could not record a session owner',
          ),
        );
    }
    const forAedes = connectForAedes(packet, clientId, identity.username);
    if (this.protocolVersion === 5) {
      const maxKeepAlive = this.ctx.limits.maxKeepAlive;
      const serverKeepAlive =
        maxKeepAlive > 0 && ((packet.keepalive ?? 0) === 0 || (packet.keepalive ?? 0) > maxKeepAlive)
          ? maxKeepAlive
          : undefined;
      if (serverKeepAlive !== undefined) forAedes.keepalive = serverKeepAlive;
      const limits: OutboundLimits = {
        maximumPacketSize: packet.properties?.maximumPacketSize,
        receiveMaximum: packet.properties?.receiveMaximum ?? 65_535,
        serverKeepAlive,
      };
      if (limits.maximumPacketSize !== undefined || limits.receiveMaximum < 65_535 || serverKeepAlive) {
        this.outbound = limits;
      }
    }
    this.inner = this.createInner();
    this.ctx.sessions.set(this.inner, this.session);
    this.ctx.handle(this.inner);
    this.pushToAedes(mqttPacket.generate(forAedes, this.writeOptions()));
    this.pump();
  }

  private onPublish(frame: Buffer): void {
    const parsed = readPublishHeader(frame, this.protocolVersion);
    if (!parsed.ok) {
      this.refuseAndClose('malformed_packet', { detail: parsed.message });
      return;
    }
    const header = this.resolveAlias(parsed.value);
    if (!header) return;
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
    if (header.retain && session.identity.role === 'device' && this.ctx.limits.deviceRetain !== 'allow') {
      if (this.ctx.limits.deviceRetain === 'refuse') {
        this.refusePublish('retain_not_allowed', header);
        return;
      }
      // Delivered to today's subscribers, not kept for tomorrow's: the flag is cleared in place.
      frame[0] = (frame[0] as number) & 0xfe;
      this.ctx.metrics.retainIgnored.inc();
    }
    if (header.topicAlias !== undefined && parsed.value.topic !== '') {
      this.topicAliases.set(header.topicAlias, header.topic);
    }
    this.ctx.metrics.messageIn(header.qos);
    if (header.qos > 0) {
      this.inflight++;
      if (this.inflight === this.ctx.limits.maxInflight) this.ctx.metrics.backpressure.inc();
    }
    this.forwardFrame(frame);
  }

  /**
   * The publish with its topic: an MQTT 5 Topic Alias alone stands for the topic it was last given
   * with, so the ACL always judges the real topic. An alias out of range, or unknown, ends the
   * connection [MQTT-3.3.2-9, -10].
   */
  private resolveAlias(header: PublishHeader): PublishHeader | undefined {
    const alias = header.topicAlias;
    if (alias === undefined) return header;
    if (alias === 0 || alias > this.ctx.limits.topicAliasMaximum) {
      this.refuseAndClose('topic_alias_invalid', {
        detail: `topic alias ${alias} is outside 1..${this.ctx.limits.topicAliasMaximum}`,
      });
      return undefined;
    }
    if (header.topic !== '') return header;
    const topic = this.topicAliases.get(alias);
    if (topic === undefined) {
      this.refuseAndClose('protocol_error', { detail: `topic alias ${alias} was never given a topic` });
      return undefined;
    }
    return { ...header, topic };
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
    this.ctx.refusalLog.refused(reason, this.address, {
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
    this.forward.push(frame);
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
    if (this.outbound) {
      this.flow = new OutboundFlow(this.outbound, {
        write: (bytes) => this.writeRaw(bytes),
        toAedes: (bytes) => this.pushToAedes(bytes),
        sent: (first) => this.onOutboundType(first),
      });
    } else {
      this.scanner = new FrameScanner((first) => this.onOutboundType(first));
    }
    const atBoundary = () => this.flow?.atBoundary ?? this.scanner?.atBoundary ?? true;
    const afterWrite = (callback: (error?: Error | null) => void, flushed: boolean) => {
      if (this.pendingInjections.length > 0 && atBoundary()) {
        for (const packet of this.pendingInjections.splice(0)) this.writeRaw(packet);
      }
      if (flushed || this.socket.destroyed) callback();
      else this.socket.once('drain', () => callback());
    };
    const writeChunks = (chunks: Buffer[], callback: (error?: Error | null) => void) => {
      if (this.socket.destroyed || this.socket.writableEnded) return callback();
      if (this.flow) {
        this.flow.push(
          chunks,
          () => callback(),
          (ok) => afterWrite(callback, ok),
        );
        return;
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
        this.endSocket();
        callback(error);
      },
    });
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
    if ((this.flow && !this.flow.atBoundary) || (this.scanner && !this.scanner.atBoundary)) {
      this.pendingInjections.push(packet);
    } else this.writeRaw(packet);
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

  /** Counts and logs a refusal, tells an MQTT 5 client why when a packet was at fault, and closes. */
  private refuseAndClose(reason: RefusalReason, fields: Record<string, unknown>): void {
    if (this.state === 'closed') return;
    this.endCause = 'refused';
    this.ctx.metrics.refused(reason);
    this.ctx.refusalLog.refused(reason, this.address, {
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

  private releasePending(): void {
    if (!this.pendingHeld) return;
    this.pendingHeld = false;
    this.ctx.pending.release(this.address);
  }

  private destroy(): void {
    if (this.state !== 'closed') this.state = 'closed';
    this.releasePending();
    if (this.identityHeld && this.session) {
      this.identityHeld = false;
      this.ctx.identityLimits.release(this.session.identity);
    }
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
