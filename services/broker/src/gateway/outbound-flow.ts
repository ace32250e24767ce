import mqttPacket, { type IConnackPacket, type Packet } from 'mqtt-packet';
import { FrameReader } from '../protocol/frame-reader.js';
import { readPublishHeader } from '../protocol/publish-header.js';

const CONNACK = 2;
const PUBLISH = 3;
const PUBREL = 6;

/** What an MQTT 5 client asked of the broker's sending side at CONNECT, and what the broker adds. */
export interface OutboundLimits {
  /** The client's Maximum Packet Size; undefined = no limit. */
  maximumPacketSize: number | undefined;
  /** The client's Receive Maximum: QoS 1/2 publishes it will have unacknowledged at once. */
  receiveMaximum: number;
  /** Server Keep Alive to announce in CONNACK when the client asked for more than the broker allows. */
  serverKeepAlive: number | undefined;
}

export interface OutboundSinks {
  /** Bytes to the client's socket; false when its buffer is full. */
  write(bytes: Buffer): boolean;
  /** Bytes into aedes, as if the client had sent them. */
  toAedes(bytes: Buffer): void;
  /** Every packet that leaves for the client, by its first byte. */
  sent(firstByte: number): void;
}

/**
 * The MQTT 5 rules for what the broker sends that aedes 2.0.0-beta.1 only records: the client's
 * Maximum Packet Size [MQTT-3.1.2-24] — a larger PUBLISH is not sent, and the broker behaves as if it
 * had been delivered [MQTT-3.1.2-25] — and its Receive Maximum [MQTT-3.3.4-9] — past it, publishes wait
 * for acknowledgements, and aedes waits with them (its write is not finished). Also announces Server
 * Keep Alive in CONNACK [MQTT-3.2.2-21]. Cuts aedes's output into packets for that; clients that ask
 * none of this (every 3.1.1 client) do not take this path.
 */
export class OutboundFlow {
  private readonly reader = new FrameReader(Number.POSITIVE_INFINITY);
  private readonly held: Buffer[] = [];
  private inflight = 0;
  private readonly skippedExactlyOnce = new Set<number>();
  private waiting: (() => void) | undefined;

  constructor(
    private readonly limits: OutboundLimits,
    private readonly sinks: OutboundSinks,
  ) {}

  /** No part of a packet is waiting for its rest: the gateway may write one of its own. */
  get atBoundary(): boolean {
    return this.reader.buffered === 0;
  }

  /** What aedes wrote; `done` once it may write more (held publishes hold it back). */
  push(chunks: Buffer[], done: () => void, flushed: (ok: boolean) => void): void {
    for (const chunk of chunks) this.reader.push(chunk);
    let ok = true;
    for (let frame = this.reader.read(); frame; frame = this.reader.read()) {
      if (!this.onFrame(frame)) ok = false;
    }
    if (this.held.length > 0) this.waiting = done;
    else flushed(ok);
  }

  /** The client acknowledged one of the broker's QoS 1/2 publishes (PUBACK, PUBCOMP, or PUBREC ≥ 0x80). */
  acknowledged(): void {
    if (this.inflight > 0) this.inflight--;
    while (this.held.length > 0 && this.inflight < this.limits.receiveMaximum) {
      this.send(this.held.shift() as Buffer);
    }
    if (this.held.length === 0 && this.waiting) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting();
    }
  }

  private onFrame(frame: Buffer): boolean {
    const type = (frame[0] as number) >> 4;
    if (type === CONNACK && this.limits.serverKeepAlive !== undefined)
      return this.send(this.withKeepAlive(frame));
    if (type === PUBREL) {
      const id = frame.readUInt16BE(2);
      // The PUBREL of a QoS 2 publish never sent: the client would not know it; answer for it.
      if (this.skippedExactlyOnce.delete(id)) {
        this.sinks.toAedes(Buffer.from([0x70, 0x02, id >> 8, id & 0xff]));
        return true;
      }
    }
    if (type !== PUBLISH) return this.send(frame);
    const max = this.limits.maximumPacketSize;
    if (max !== undefined && frame.length > max) return this.skip(frame);
    const qos = ((frame[0] as number) >> 1) & 0x03;
    if (qos === 0) return this.held.length > 0 ? this.hold(frame) : this.send(frame);
    if (this.inflight >= this.limits.receiveMaximum || this.held.length > 0) return this.hold(frame);
    return this.send(frame);
  }

  private send(frame: Buffer): boolean {
    const type = (frame[0] as number) >> 4;
    if (type === PUBLISH && ((frame[0] as number) & 0x06) !== 0) this.inflight++;
    this.sinks.sent(frame[0] as number);
    return this.sinks.write(frame);
  }

  private hold(frame: Buffer): boolean {
    this.held.push(frame);
    return true;
  }

  /** A PUBLISH too large for the client: dropped, and acknowledged to aedes in the client's place. */
  private skip(frame: Buffer): boolean {
    const header = readPublishHeader(frame, 5);
    if (!header.ok || header.value.qos === 0) return true;
    const id = header.value.messageId;
    if (header.value.qos === 1) this.sinks.toAedes(Buffer.from([0x40, 0x02, id >> 8, id & 0xff]));
    else {
      this.skippedExactlyOnce.add(id);
      this.sinks.toAedes(Buffer.from([0x50, 0x02, id >> 8, id & 0xff]));
    }
    return true;
  }

  private withKeepAlive(frame: Buffer): Buffer {
    let connack: IConnackPacket | undefined;
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    parser.on('packet', (packet: Packet) => {
      if (packet.cmd === 'connack') connack = packet;
    });
    parser.parse(frame);
    if (!connack || (connack.reasonCode ?? 0) !== 0) return frame;
    connack.properties = { ...connack.properties, serverKeepAlive: this.limits.serverKeepAlive as number };
    return mqttPacket.generate(connack, { protocolVersion: 5 });
  }
}
