import { type ICustomPartitioner, Partitioners } from 'kafkajs';

/** Distinct (topic, partition count, key) triples remembered before the memory starts over. */
export const PARTITION_CACHE_SIZE = 100_000;

/**
 * kafkajs' DefaultPartitioner (murmur2 of the key, the Java client's choice, so records of one key land
 * where any Kafka client would put them), remembering its answer per topic, partition count and key.
 * Its murmur2 runs on Long objects, several allocations per four key bytes, for every record; a
 * telemetry stream has few keys (one per line) and millions of records.
 */
export const CachingDefaultPartitioner: ICustomPartitioner = () => {
  const partitionOf = Partitioners.DefaultPartitioner();
  const cache = new Map<string, number>();
  return (args) => {
    const { key, partition } = args.message;
    if (partition !== null && partition !== undefined) return partition;
    if (key === null || key === undefined) return partitionOf(args);
    const keyText = typeof key === 'string' ? `s${key}` : `b${key.toString('latin1')}`;
    const cacheKey = `${args.topic}\n${args.partitionMetadata.length}\n${keyText}`;
    let chosen = cache.get(cacheKey);
    if (chosen === undefined) {
      chosen = partitionOf(args);
      if (cache.size >= PARTITION_CACHE_SIZE) cache.clear();
      cache.set(cacheKey, chosen);
    }
    return chosen;
  };
};
