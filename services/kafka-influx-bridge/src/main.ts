import { kafkaInfluxConfigFromEnv } from './config.js';
import { runKafkaInfluxBridge } from './run-bridge.js';

// The bridge's own entry, for its container image: configuration from MEKONG_KAFKA_* / MEKONG_INFLUX_* variables.
const config = await kafkaInfluxConfigFromEnv().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
await runKafkaInfluxBridge(config);
