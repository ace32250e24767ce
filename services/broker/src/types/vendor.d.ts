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
