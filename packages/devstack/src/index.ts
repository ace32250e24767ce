export { cacheRoot } from './cache-dir.js';
export { ensureDebianPackages, missingDebianPackages } from './debian-packages.js';
export {
  type DevstackStatus,
  devstackDown,
  devstackKill,
  devstackRestart,
  devstackStatus,
  devstackUp,
  type RunningDevstack,
  type ServiceStatus,
} from './devstack.js';
export { type DevstackConfig, devstackConfigFromEnv, devstackEnvHelp } from './devstack-config.js';
export type { DevstackEndpoints, EndpointSource, InfluxdbEndpoint, KafkaEndpoint } from './endpoints.js';
export { DevstackError, type DevstackErrorCode, devstackErrorCodes } from './errors.js';
export { answersPing, type LocalRedis, startLocalRedis } from './redis/local-redis.js';
export { consoleProgress, type Progress } from './run-step.js';
export { testStackConfig } from './test-stack.js';
