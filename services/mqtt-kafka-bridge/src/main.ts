import { mqttKafkaConfigFromEnv } from './config.js';
import { runMqttKafkaBridge } from './run-bridge.js';

// The bridge's own entry, for its container image: configuration from MEKONG_MQTT_* / MEKONG_KAFKA_* variables.
const config = await mqttKafkaConfigFromEnv().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
await runMqttKafkaBridge(config);
