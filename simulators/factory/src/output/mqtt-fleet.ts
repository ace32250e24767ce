import type { IClientOptions, MqttClient } from 'mqtt';
import { connect } from 'mqtt';
import type { DeviceIdentity } from './device-identity.js';

export interface FleetOptions {
  url: string;
  qos: 0 | 1 | 2;
  identity(path: string): DeviceIdentity;
  /** Connection attempts in parallel while the fleet connects. */
  connectConcurrency: number;
  /** Messages one device keeps while it has no connection; older ones are dropped and counted lost. */
  bufferLimit: number;
  /** Publishes not yet acknowledged (QoS ≥ 1) or written (QoS 0) before `publish` asks the caller to wait. */
  maxInFlight: number;
  /** Reconnect delays: doubling from `initialMs` to `maxMs`, reset once connected. */
  backoff: { initialMs: number; maxMs: number };
  keepaliveSeconds: number;
  protocolVersion: 4 | 5;
  onIssue?(issue: {
    device: string;
    code: 'connect_error' | 'publish_error' | 'buffer_overflow';
    message: string;
  }): void;
}

export interface FleetStats {
  devices: number;
  connected: number;
  published: number;
  errors: number;
  lost: number;
  reconnects: number;
}

interface Device {
  client: MqttClient;
  path: string;
  buffer: { topic: string; payload: string }[];
  delayMs: number;
  everConnected: boolean;
  /** Held down by a simulated disconnect or broker outage until `setLink(…, true)`. */
  linkDown: boolean;
}

// setInterval's longest period: a reconnect attempt that never comes while a link is held down.
const NEVER_MS = 2_147_483_647;

/**
 * One MQTT connection per simulated device, each with its own client id and credentials. While a
 * device is offline (broker outage, network) its messages wait in a bounded buffer and are sent, in
 * order, once it reconnects; reconnects back off exponentially.
 */
export class MqttFleet {
  readonly stats: FleetStats = { devices: 0, connected: 0, published: 0, errors: 0, lost: 0, reconnects: 0 };
  private readonly devices = new Map<string, Device>();
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: FleetOptions) {}

  /**
   * Connects these devices, `connectConcurrency` at a time. Rejects with the broker's reason (e.g. a
   * refused password) when a device is still not connected after `timeoutMs`.
   */
  async connectAll(paths: readonly string[], timeoutMs = 60_000): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        const path = paths[next] as string;
        next += 1;
        await this.connected(this.device(path), timeoutMs);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.options.connectConcurrency, paths.length) }, worker),
    );
  }

  private connected(device: Device, timeoutMs: number): Promise<void> {
    if (device.client.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let lastError = 'no answer';
      const onError = (error: Error) => {
        lastError = error.message;
      };
      const timer = setTimeout(() => {
        device.client.removeListener('error', onError);
        reject(
          new Error(
            `device ${device.path} could not connect to ${this.options.url} in ${timeoutMs} ms: ${lastError}`,
          ),
        );
      }, timeoutMs);
      device.client.on('error', onError);
      device.client.once('connect', () => {
        clearTimeout(timer);
        device.client.removeListener('error', onError);
        resolve();
      });
    });
  }

  /** Ends every connection at once, without waiting for acknowledgements. */
  async abort(): Promise<void> {
    await Promise.all([...this.devices.values()].map((device) => device.client.endAsync(true)));
  }

  private device(path: string): Device {
    const known = this.devices.get(path);
    if (known !== undefined) return known;
    const identity = this.options.identity(path);
    const clientOptions: IClientOptions = {
      clientId: identity.clientId,
      clean: true,
      keepalive: this.options.keepaliveSeconds,
      reconnectPeriod: this.options.backoff.initialMs,
      connectTimeout: 30_000,
      protocolVersion: this.options.protocolVersion,
    };
    if (identity.username !== undefined) clientOptions.username = identity.username;
    if (identity.password !== undefined) clientOptions.password = identity.password;
    const client = connect(this.options.url, clientOptions);
    const device: Device = {
      client,
      path,
      buffer: [],
      delayMs: this.options.backoff.initialMs,
      everConnected: false,
      linkDown: false,
    };
    this.devices.set(path, device);
    this.stats.devices += 1;
    client.on('connect', () => {
      if (device.linkDown) {
        // A retry scheduled before the link was held down got through: drop it again.
        client.stream.destroy();
        return;
      }
      this.stats.connected += 1;
      if (device.everConnected) this.stats.reconnects += 1;
      device.everConnected = true;
      device.delayMs = this.options.backoff.initialMs;
      client.options.reconnectPeriod = device.delayMs;
      const waiting = device.buffer;
      device.buffer = [];
      for (const message of waiting) this.send(device, message.topic, message.payload);
    });
    // 'offline' fires once per lost connection ('close' also fires for each failed attempt).
    client.on('offline', () => {
      if (device.everConnected) this.stats.connected = Math.max(0, this.stats.connected - 1);
    });
    client.on('reconnect', () => {
      device.delayMs = Math.min(this.options.backoff.maxMs, device.delayMs * 2);
      client.options.reconnectPeriod = device.delayMs;
    });
    client.on('error', (error) => {
      this.stats.errors += 1;
      this.options.onIssue?.({ device: path, code: 'connect_error', message: error.message });
    });
    return device;
  }

  /**
   * Sends one message from one device. Returns a promise when too many publishes are in flight: the
   * caller awaits it before the next message (back-pressure); otherwise undefined.
   */
  publish(path: string, topic: string, payload: string): Promise<void> | undefined {
    const device = this.device(path);
    if (!device.client.connected) {
      device.buffer.push({ topic, payload });
      if (device.buffer.length > this.options.bufferLimit) {
        device.buffer.shift();
        this.stats.lost += 1;
        this.options.onIssue?.({
          device: path,
          code: 'buffer_overflow',
          message: 'offline buffer full: oldest message dropped',
        });
      }
      return undefined;
    }
    this.send(device, topic, payload);
    return this.inFlight >= this.options.maxInFlight
      ? new Promise((resolve) => this.waiters.push(resolve))
      : undefined;
  }

  private send(device: Device, topic: string, payload: string): void {
    this.inFlight += 1;
    device.client.publish(topic, payload, { qos: this.options.qos }, (error) => {
      this.inFlight -= 1;
      if (error) {
        this.stats.errors += 1;
        this.options.onIssue?.({ device: device.path, code: 'publish_error', message: error.message });
      } else {
        this.stats.published += 1;
      }
      if (this.inFlight < this.options.maxInFlight / 2 && this.waiters.length > 0) {
        const waiters = this.waiters;
        this.waiters = [];
        for (const resolve of waiters) resolve();
      }
    });
  }

  /**
   * Drops a device's connection abruptly, as a network failure would (no DISCONNECT, so the broker
   * sees a lost client), and keeps it down until called with `up`; `path` undefined means every
   * device (a broker outage as the devices see it). Messages meanwhile wait in the device buffer;
   * unacknowledged QoS ≥ 1 publishes stay in the client's store and are resent on reconnect.
   */
  setLink(path: string | undefined, up: boolean): void {
    const targets = path === undefined ? [...this.devices.values()] : [this.device(path)];
    for (const device of targets) {
      const { client } = device;
      if (!up) {
        if (device.linkDown) continue;
        device.linkDown = true;
        client.options.reconnectPeriod = NEVER_MS;
        if (client.connected) client.stream.destroy();
      } else if (device.linkDown) {
        device.linkDown = false;
        device.delayMs = this.options.backoff.initialMs;
        client.options.reconnectPeriod = device.delayMs;
        // connect() clears the pending retry and keeps the stores, so in-flight messages are resent.
        if (!client.connected) client.connect();
      }
    }
  }

  /** Messages still buffered or unacknowledged. */
  get pending(): number {
    let buffered = 0;
    for (const device of this.devices.values()) buffered += device.buffer.length;
    return buffered + this.inFlight;
  }

  /** Waits until everything sent was acknowledged (or `timeoutMs` passed), then disconnects all. */
  async close(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([...this.devices.values()].map((device) => device.client.endAsync(this.pending > 0)));
  }
}
