import type { MqttClient } from 'mqtt';
import { connectAsync } from 'mqtt';

/** Received seqs per publisher (`mekong/v1/<enterprise>/<site>/<area>/<line>/<cell>`). */
export interface SeqCounter {
  seqs: Map<string, Set<number>>;
  received: number;
  client: MqttClient;
  /** Resolves when `expected` says every publisher has all its seqs, or after `timeoutMs`. */
  waitFor(expected: Map<string, number>, timeoutMs: number): Promise<boolean>;
}

export async function subscribeSeqs(url: string, username: string, password: string): Promise<SeqCounter> {
  const client = await connectAsync(url, {
    clientId: 'sim-test-observer',
    clean: false,
    username,
    password,
    reconnectPeriod: 200,
    protocolVersion: 4,
  });
  await client.subscribeAsync('mekong/v1/#', { qos: 1 });
  const counter: SeqCounter = {
    seqs: new Map(),
    received: 0,
    client,
    async waitFor(expected, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const complete = () =>
        [...expected].every(([publisher, count]) => (counter.seqs.get(publisher)?.size ?? 0) === count);
      while (!complete() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      return complete();
    },
  };
  client.on('message', (topic, payload) => {
    counter.received += 1;
    const publisher = topic.split('/').slice(0, 7).join('/');
    const seq = (JSON.parse(payload.toString()) as { seq: number }).seq;
    let set = counter.seqs.get(publisher);
    if (set === undefined) {
      set = new Set();
      counter.seqs.set(publisher, set);
    }
    set.add(seq);
  });
  return counter;
}
