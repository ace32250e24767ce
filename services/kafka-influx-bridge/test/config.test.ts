import { describe, expect, it } from 'vitest';
import { kafkaInfluxCliOptions } from '../src/cli-options.js';
import { defaultKafkaInfluxConfig, kafkaInfluxConfigFromEnv } from '../src/config.js';

describe('Kafka → InfluxDB bridge configuration', () => {
  it('has working defaults', () => {
    const config = defaultKafkaInfluxConfig();
    expect(config.kafka).toMatchObject({ groupId: 'mekong-kafka-influx', fromBeginning: true });
    expect(config.influx).toMatchObject({ url: 'http://localhost:8086', org: 'mekong', bucket: 'mekong' });
    expect(config.batch).toMatchObject({ maxPoints: 5_000, flushIntervalMs: 20 });
  });

  it('needs a token and says which variable', async () => {
    await expect(kafkaInfluxConfigFromEnv({})).rejects.toThrow(/MEKONG_INFLUX_TOKEN/);
  });

  it('reads the variables', async () => {
    const config = await kafkaInfluxConfigFromEnv({
      MEKONG_INFLUX_TOKEN: 't',
      MEKONG_INFLUX_URL: 'http://[::1]:8086',
      MEKONG_KAFKA_INFLUX_BATCH_MAX_POINTS: '100',
      MEKONG_KAFKA_INFLUX_GROUP_ID: 'g',
    });
    expect(config.influx).toMatchObject({ token: 't', url: 'http://[::1]:8086' });
    expect(config.batch.maxPoints).toBe(100);
    expect(config.kafka.groupId).toBe('g');
  });

  it('refuses a bad value naming the variable', async () => {
    await expect(
      kafkaInfluxConfigFromEnv({ MEKONG_INFLUX_TOKEN: 't', MEKONG_INFLUX_URL: 'not a url' }),
    ).rejects.toThrow(/MEKONG_INFLUX_URL/);
  });

  it('offers a flag for every variable', () => {
    const flags = kafkaInfluxCliOptions().map((option) => option.flag);
    expect(flags).toEqual(
      expect.arrayContaining([
        '--kafka-brokers',
        '--influx-url',
        '--influx-token',
        '--batch-max-points',
        '--group-id',
      ]),
    );
    expect(new Set(flags).size).toBe(flags.length);
  });
});
