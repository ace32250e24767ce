export { CachingDefaultPartitioner, PARTITION_CACHE_SIZE } from './caching-partitioner.js';
export { ensureTopics, type TopicSpec } from './ensure-topics.js';
export { KafkaError, type KafkaErrorCode, kafkaErrorCodes } from './errors.js';
export { createKafkaClient, KAFKA_CLIENT_RETRY, type KafkaClientSettings } from './kafka-client.js';
export { kafkaLogCreator, kafkaLogLevel } from './kafka-logger.js';
export { type TopicSettings, topicSettingsEnv, topicSettingsFromEnv, topicSpecs } from './topic-settings.js';
