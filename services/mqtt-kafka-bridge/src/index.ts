export { type BridgeCliOption, mqttKafkaCliOptions } from './cli-options.js';
export {
  defaultMqttKafkaConfig,
  type MqttKafkaBridgeConfig,
  mqttKafkaConfigFromEnv,
  mqttKafkaEnvSchema,
} from './config.js';
export { type KafkaRecord, toKafkaRecord } from './core/to-kafka-record.js';
export { BridgeError, type BridgeErrorCode, bridgeErrorCodes } from './errors.js';
export { runMqttKafkaBridge } from './run-bridge.js';
export {
  type RunningMqttKafkaBridge,
  type StartMqttKafkaBridgeOptions,
  startMqttKafkaBridge,
} from './start-bridge.js';
