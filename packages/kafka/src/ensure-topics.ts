import { errorMessage, type Logger } from '@mekong/runtime';
import type { Admin } from '@platformatic/kafka';
import { KafkaError } from './errors.js';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  retentionMs: number;
}

/** The part of the admin client `ensureTopics` uses. */
export type TopicAdmin = Pick<Admin, 'listTopics' | 'createTopics' | 'metadata'>;

/**
 * Creates the topics that do not exist yet. Existing topics are left as they are (a warning names a
 * partition count that differs); two instances starting at once both succeed.
 */
export async function ensureTopics(admin: TopicAdmin, specs: TopicSpec[], logger: Logger): Promise<void> {
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    for (const spec of missing) {
      try {
        await admin.createTopics({
          topics: [spec.topic],
          partitions: spec.partitions,
          replicas: spec.replicationFactor,
          configs: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
        });
      } catch (cause) {
        // Another instance may have created it meanwhile (TOPIC_ALREADY_EXISTS): fine if it is there now.
        if (!(await admin.listTopics()).includes(spec.topic)) throw cause;
      }
    }
    if (missing.length > 0) {
      logger.info(
        { event: 'kafka_topics_created', topics: missing.map((spec) => spec.topic) },
        `created Kafka topics ${missing.map((spec) => spec.topic).join(', ')}`,
      );
    }
    const present = specs.filter((spec) => existing.has(spec.topic));
    if (present.length === 0) return;
    const metadata = await admin.metadata({ topics: present.map((spec) => spec.topic) });
    for (const spec of present) {
      const partitions = metadata.topics.get(spec.topic)?.partitionsCount;
      if (partitions !== undefined && partitions !== spec.partitions) {
        logger.warn(
          { event: 'kafka_topic_partitions_differ', topic: spec.topic, partitions, wanted: spec.partitions },
          `topic ${spec.topic} exists with ${partitions} partitions (configured: ${spec.partitions}); left as it is`,
        );
      }
    }
  } catch (cause) {
    throw new KafkaError(
      'MEKONG_KAFKA_TOPIC_SETUP_FAILED',
      `could not create the Kafka topics: ${errorMessage(cause)}`,
      { cause },
    );
  }
}
