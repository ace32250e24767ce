// Type declarations for the CommonJS persistence factories that ship none. Each returns aedes's
// CallBackPersistence wrapper (async setup, stream methods), the shape aedes 1.x expects.

interface AedesPersistenceWrapper {
  setup(broker: unknown): Promise<void>;
  destroy(): Promise<void>;
  subscriptionsByTopic(topic: string): Promise<unknown>;
  outgoingEnqueueCombi(subs: unknown, packet: unknown): Promise<unknown>;
  outgoingUpdate(client: unknown, packet: unknown): Promise<unknown>;
}

declare module 'aedes-persistence-level' {
  export default function levelPersistence(db: unknown): AedesPersistenceWrapper;
}

declare module 'aedes-persistence-redis' {
  export default function redisPersistence(options?: Record<string, unknown>): AedesPersistenceWrapper;
}

declare module 'aedes-persistence' {
  /** The in-memory store aedes uses by default (a CallBackPersistence around the async one). */
  export default function memoryPersistence(): AedesPersistenceWrapper & {
    outgoingEnqueue(sub: { clientId: string }, packet: unknown): Promise<void>;
    outgoingClearMessageId(client: { id: string }, packet: { messageId?: number }): Promise<unknown>;
    outgoingStream(client: { id: string }): import('node:stream').Readable;
  };
}

declare module 'aedes-packet' {
  /** aedes' stored form of a PUBLISH: a copy with its broker id and counter. */
  export default class Packet {
    constructor(original: object, broker?: unknown);
    brokerId: string;
    brokerCounter: number;
    messageId?: number;
  }
}
