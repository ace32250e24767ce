import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mqttKafkaCliOptions } from '../src/cli-options.js';
import { defaultMqttKafkaConfig, mqttKafkaConfigFromEnv } from '../src/config.js';

describe('MQTT → Kafka bridge configuration', () => {
  it('has working defaults: mekong/v1/#, MQTT 5, lz4, a fixed client id', () => {
    const config = defaultMqttKafkaConfig();
    expect(config.mqtt).toMatchObject({
      url: 'mqtt://localhost:1883',
      topicFilters: ['mekong/v1/#'],
      protocolVersion: 5,
      clientId: 'mekong-mqtt-kafka',
    });
    expect(config.kafka.compression).toBe('lz4');
    expect(config.kafka.topics).toMatchObject({ create: true, partitions: 6, replicationFactor: 1 });
  });

  it('reads variables, the password from a file, and derives the client id from the user name', async () => {
    const file = join(tmpdir(), `mekong-password-${process.pid}`);
    await writeFile(file, 'secret\n');
    const config = await mqttKafkaConfigFromEnv({
      MEKONG_MQTT_URL: 'mqtts://[::1]:8883',
      MEKONG_MQTT_USERNAME: 'bridge',
      MEKONG_MQTT_PASSWORD_FILE: file,
      MEKONG_MQTT_TOPIC_FILTERS: 'mekong/v1/acme/hcm/#, mekong/v1/acme/hn/#',
      MEKONG_MQTT_PROTOCOL: '3.1.1',
      MEKONG_KAFKA_BROKERS: 'k1:9092,k2:9092',
      MEKONG_MQTT_KAFKA_LINGER_MS: '0',
    });
    expect(config.mqtt).toMatchObject({
      url: 'mqtts://[::1]:8883',
      password: 'secret',
      clientId: 'bridge-mqtt-kafka',
      protocolVersion: 4,
      topicFilters: ['mekong/v1/acme/hcm/#', 'mekong/v1/acme/hn/#'],
    });
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.batch.lingerMs).toBe(0);
  });

  it.each([
    [{ MEKONG_MQTT_URL: 'http://broker' }, /MEKONG_MQTT_URL/],
    [{ MEKONG_MQTT_KAFKA_BATCH_MAX_RECORDS: '0' }, /MEKONG_MQTT_KAFKA_BATCH_MAX_RECORDS/],
    [{ MEKONG_KAFKA_COMPRESSION: 'zstd' }, /MEKONG_KAFKA_COMPRESSION/],
    [{ MEKONG_MQTT_PASSWORD_FILE: '/nonexistent/password' }, /MEKONG_MQTT_PASSWORD_FILE/],
  ])('refuses %o naming the variable', async (environment, message) => {
    await expect(mqttKafkaConfigFromEnv(environment)).rejects.toThrow(message);
  });

  it('offers a flag for every variable', () => {
    const flags = mqttKafkaCliOptions().map((option) => option.flag);
    expect(flags).toContain('--mqtt-url');
    expect(flags).toContain('--kafka-brokers');
    expect(flags).toContain('--linger-ms');
    expect(flags).toContain('--http-port');
    expect(new Set(flags).size).toBe(flags.length);
  });
});
