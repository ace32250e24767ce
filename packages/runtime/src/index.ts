export { type BackoffSettings, backoffDelay } from './backoff.js';
export {
  type CliOption,
  cliOptionsOf,
  describeConfig,
  type EnvSchema,
  type EnvVariableHelp,
  env,
  loadConfig,
} from './config.js';
export {
  errorCode,
  errorMessage,
  RuntimeError,
  type RuntimeErrorCode,
  runtimeErrorCodes,
} from './errors.js';
export {
  type ComponentHealth,
  checkHealth,
  type HealthCheck,
  type HealthReport,
  type HealthStatus,
  overallStatus,
} from './health.js';
export { LogThrottle } from './log-throttle.js';
export {
  createLogger,
  type LogFormat,
  type Logger,
  type LoggerSettings,
  logFormats,
  resolveLogFormat,
} from './logger.js';
export {
  Counter,
  createMetricsRegistry,
  Gauge,
  Histogram,
  type MetricsSettings,
  Registry,
} from './metrics.js';
export { listen, type OpsServer, type OpsServerSettings, startOpsServer } from './ops-server.js';
export { makeSecretDir, writeSecretFile } from './secret-file.js';
export { type CloseHook, createShutdown, type Shutdown, type ShutdownSettings } from './shutdown.js';
