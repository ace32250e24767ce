/** How a service's endpoint was obtained, in order of preference. */
export type EndpointSource = 'env' | 'docker' | 'local';

/** Where the running stack answers; handed to services and, through Vitest's `inject`, to tests. */
export interface KafkaEndpoint {
  /** `host:port` bootstrap servers. */
  brokers: string[];
}

export interface InfluxdbEndpoint {
  url: string;
  /** API token. */
  token: string;
  org: string;
  bucket: string;
}

export interface DevstackEndpoints {
  kafka: KafkaEndpoint & { source: EndpointSource };
  influxdb: InfluxdbEndpoint & { source: EndpointSource };
}
