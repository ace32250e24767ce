import { errorMessage, type Logger } from '@mekong/runtime';
import type { Admin } from 'kafkajs';
import { KafkaError } from './errors.js';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  retentionMs: number;
}

/**
 * Creates the topics that do not exist yet. Existing topics are left as they are (a warning names a
 * partition count that differs); two instances starting at once both succeed.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[], logger: Logger): Promise<void> {
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
        })),
      });
      logger.info(
        { event: 'kafka_topics_created', topics: missing.map((spec) => spec.topic) },
        `created Kafka topics ${missing.map((spec) => spec.topic).join(', ')}`,
      );
    }
    const present = specs.filter((spec) => existing.has(spec.topic));
    if (present.length === 0) return;
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.topic) });
    for (const topic of metadata.topics) {
      const wanted = specs.find((spec) => spec.topic === topic.name)?.partitions;
      if (wanted !== undefined && topic.partitions.length !== wanted) {
        logger.warn(
          {
            event: 'kafka_topic_partitions_differ',
            topic: topic.name,
            partitions: topic.partitions.length,
            wanted,
          },
          `topic ${topic.name} exists with ${topic.partitions.length} partitions (configured: ${wanted}); left as it is`,
        );
      }
    }
  } catch (cause) {
    if ((cause as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return;
    throw new KafkaError(
      'MEKONG_KAFKA_TOPIC_SETUP_FAILED',
      `could not create the Kafka topics: ${errorMessage(cause)}`,
      { cause },
    );
  }
}
