import { compatibilityPartitioner, type MessageToProduce } from '@platformatic/kafka';

/** Distinct keys remembered before the memory starts over. */
export const PARTITION_CACHE_SIZE = 100_000;

/**
 * The Java client's partition choice for a keyed record: murmur2 of the key bytes, made positive
 * (`& 0x7fffffff`), modulo the partition count — what the Java clients and librdkafka's
 * `murmur2_random` choose. @platformatic/kafka's default partitioner differs (`>>> 0`); its
 * `compatibilityPartitioner` is this one. The client applies the modulo after the partitioner.
 * Its murmur2 runs on BigInts; a telemetry stream has few keys (one per line) and millions of
 * records, so the answer is remembered per key.
 */
export function cachingCompatiblePartitioner(): (
  message: MessageToProduce<unknown, unknown, unknown, unknown>,
  key: Buffer | undefined,
) => number {
  const cache = new Map<string, number>();
  let roundRobin = 0;
  return (message, key) => {
    // A keyless record goes round robin, like the client's own keyless choice.
    if (key === undefined) return roundRobin++ & 0x7fffffff;
    const text = key.toString('latin1');
    let chosen = cache.get(text);
    if (chosen === undefined) {
      chosen = compatibilityPartitioner(message, key);
      if (cache.size >= PARTITION_CACHE_SIZE) cache.clear();
      cache.set(text, chosen);
    }
    return chosen;
  };
}
