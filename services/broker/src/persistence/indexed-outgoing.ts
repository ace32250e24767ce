import { Readable } from 'node:stream';
import Packet from 'aedes-packet';

/** A QoS 1/2 message waiting for a client's acknowledgement, as aedes stores it. */
interface QueuedPacket {
  brokerId: string;
  brokerCounter: number;
  messageId?: number;
}

interface Client {
  id: string;
}

/** The members of aedes-persistence's memory store that this replaces. */
export interface OutgoingQueues {
  outgoingEnqueue(sub: { clientId: string }, packet: QueuedPacket): Promise<unknown>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: QueuedPacket): Promise<unknown>;
  outgoingUpdate(client: Client, packet: QueuedPacket): Promise<unknown>;
  outgoingClearMessageId(client: Client, packet: { messageId?: number }): Promise<unknown>;
  outgoingStream(client: Client): Readable;
}

const keyOf = (packet: QueuedPacket) => `${packet.brokerId}:${packet.brokerCounter}`;

/** One client's unacknowledged messages in arrival order, indexed by broker counter and packet id. */
class ClientQueue {
  private nextSlot = 0;
  readonly slots = new Map<number, QueuedPacket>();
  private readonly slotOfKey = new Map<string, number>();
  private readonly slotOfMessageId = new Map<number, number>();

  push(packet: QueuedPacket): void {
    const slot = this.nextSlot++;
    this.slots.set(slot, packet);
    this.slotOfKey.set(keyOf(packet), slot);
    if (packet.messageId !== undefined) this.slotOfMessageId.set(packet.messageId, slot);
  }

  /** aedes-persistence's `outgoingUpdate`: give the stored message its packet id, or replace the one holding it. */
  update(packet: QueuedPacket): boolean {
    const slot = this.slotOfKey.get(keyOf(packet));
    if (slot !== undefined) {
      const entry = this.slots.get(slot) as QueuedPacket;
      this.forgetMessageId(entry, slot);
      entry.messageId = packet.messageId;
      if (packet.messageId !== undefined) this.slotOfMessageId.set(packet.messageId, slot);
      return true;
    }
    const other = packet.messageId === undefined ? undefined : this.slotOfMessageId.get(packet.messageId);
    const old = other === undefined ? undefined : this.slots.get(other);
    if (other === undefined || !old || old.brokerId === packet.brokerId) return false;
    this.slotOfKey.delete(keyOf(old));
    this.slots.set(other, packet);
    this.slotOfKey.set(keyOf(packet), other);
    return true;
  }

  clear(messageId: number | undefined): QueuedPacket | undefined {
    if (messageId === undefined) return undefined;
    const slot = this.slotOfMessageId.get(messageId);
    if (slot === undefined) return undefined;
    const entry = this.slots.get(slot) as QueuedPacket;
    this.slots.delete(slot);
    this.slotOfMessageId.delete(messageId);
    this.slotOfKey.delete(keyOf(entry));
    return entry;
  }

  private forgetMessageId(entry: QueuedPacket, slot: number): void {
    if (entry.messageId !== undefined && this.slotOfMessageId.get(entry.messageId) === slot) {
      this.slotOfMessageId.delete(entry.messageId);
    }
  }
}

const patched = new WeakSet<object>();

/**
 * Replaces the outgoing queues of aedes-persistence 11's memory store with indexed ones.
 *
 * The original keeps each client's unacknowledged messages in an array and searches it linearly on
 * every delivery (`outgoingUpdate`, from the newest end's far side) and every PUBACK
 * (`outgoingClearMessageId`). A subscriber that holds its PUBACKs — the MQTT → Kafka bridge does, until
 * Kafka acknowledged — keeps hundreds outstanding, and those searches took 18 % of the broker's CPU
 * under bridge load. Here every operation is a map lookup; arrival order is kept for `outgoingStream`.
 * Checked against aedes-persistence's own conformance suite (test/persistence/indexed-outgoing).
 */
export function indexOutgoingQueues<T extends OutgoingQueues>(persistence: T): T {
  if (patched.has(persistence)) return persistence;
  patched.add(persistence);
  const queues = new Map<string, ClientQueue>();
  const queueOf = (clientId: string) => {
    let queue = queues.get(clientId);
    if (!queue) {
      queue = new ClientQueue();
      queues.set(clientId, queue);
    }
    return queue;
  };
  persistence.outgoingEnqueue = async (sub, packet) => {
    queueOf(sub.clientId).push(new Packet(packet) as QueuedPacket);
  };
  persistence.outgoingEnqueueCombi = async (subs, packet) => {
    for (const sub of subs) queueOf(sub.clientId).push(new Packet(packet) as QueuedPacket);
  };
  persistence.outgoingUpdate = async (client, packet) => {
    if (!queueOf(client.id).update(packet)) throw new Error('no such packet');
  };
  persistence.outgoingClearMessageId = async (client, packet) => {
    const queue = queues.get(client.id);
    const cleared = queue?.clear(packet.messageId);
    if (queue && queue.slots.size === 0) queues.delete(client.id);
    return cleared;
  };
  persistence.outgoingStream = (client) => Readable.from([...(queues.get(client.id)?.slots.values() ?? [])]);
  return persistence;
}
