export { cachingCompatiblePartitioner, PARTITION_CACHE_SIZE } from './compatible-partitioner.js';
export { ensureTopics, type TopicAdmin, type TopicSpec } from './ensure-topics.js';
export { KafkaError, type KafkaErrorCode, kafkaErrorCodes } from './errors.js';
export {
  type ConsumerSettings,
  createAdmin,
  createConsumer,
  createProducer,
  KAFKA_CLIENT_RETRY,
  type KafkaClientSettings,
  type MekongConsumer,
  type MekongProducer,
  type ProducerSettings,
} from './kafka-client.js';
export { type KafkaEventSource, logKafkaEvents } from './kafka-events.js';
export { commitIfStillOwned, type DeliveredRecord, type OwnershipView } from './owned-commit.js';
export { type TopicSettings, topicSettingsEnv, topicSettingsFromEnv, topicSpecs } from './topic-settings.js';
