import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { KafkaContainer } from '@testcontainers/kafka';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import type { InfluxdbEndpoint, KafkaEndpoint } from './endpoints.js';

const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.0';
const INFLUXDB_IMAGE = 'influxdb:2.7.12';
const KAFKA_CLIENT_PORT = 9093;

/** True when a Docker (or Podman) engine answers; a quick socket check first avoids a slow probe. */
export async function isDockerAvailable(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export interface DockerService<E> {
  endpoint: E;
  container: StartedTestContainer;
}

export async function startDockerKafka(): Promise<DockerService<KafkaEndpoint>> {
  const container = await new KafkaContainer(KAFKA_IMAGE).withKraft().start();
  return {
    container,
    endpoint: { brokers: [`${container.getHost()}:${container.getMappedPort(KAFKA_CLIENT_PORT)}`] },
  };
}

export async function startDockerInfluxdb(): Promise<DockerService<InfluxdbEndpoint>> {
  const token = randomBytes(32).toString('base64url');
  const container = await new GenericContainer(INFLUXDB_IMAGE)
    .withEnvironment({
      DOCKER_INFLUXDB_INIT_MODE: 'setup',
      DOCKER_INFLUXDB_INIT_USERNAME: 'mekong-admin',
      DOCKER_INFLUXDB_INIT_PASSWORD: randomBytes(18).toString('base64url'),
      DOCKER_INFLUXDB_INIT_ORG: 'mekong',
      DOCKER_INFLUXDB_INIT_BUCKET: 'mekong',
      DOCKER_INFLUXDB_INIT_ADMIN_TOKEN: token,
    })
    .withExposedPorts(8086)
    .withWaitStrategy(Wait.forHttp('/health', 8086).forStatusCode(200))
    .start();
  return {
    container,
    endpoint: {
      url: `http://${container.getHost()}:${container.getMappedPort(8086)}`,
      token,
      org: 'mekong',
      bucket: 'mekong',
    },
  };
}
