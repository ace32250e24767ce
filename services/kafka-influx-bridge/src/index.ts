export { type BridgeCliOption, kafkaInfluxCliOptions } from './cli-options.js';
export {
  defaultKafkaInfluxConfig,
  type KafkaInfluxBridgeConfig,
  kafkaInfluxConfigFromEnv,
  kafkaInfluxEnvSchema,
} from './config.js';
export { BridgeError, type BridgeErrorCode, bridgeErrorCodes } from './errors.js';
export { runKafkaInfluxBridge } from './run-bridge.js';
export {
  type RunningKafkaInfluxBridge,
  type StartKafkaInfluxBridgeOptions,
  startKafkaInfluxBridge,
} from './start-bridge.js';
