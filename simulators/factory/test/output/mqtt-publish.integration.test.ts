import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { simCommand } from '../../src/cli.js';
import type { SimMessage } from '../../src/core/sim-message.js';
import { createSimulation } from '../../src/core/simulation.js';
import { identityOf } from '../../src/output/device-identity.js';
import { MqttFleet } from '../../src/output/mqtt-fleet.js';
import { Pacer } from '../../src/output/pacer.js';
import { publishStream } from '../../src/output/publish-stream.js';
import { loadScenario } from '../../src/scenario/builtin-scenarios.js';
import { collectingSink } from '../../src/truth/truth-sink.js';
import type { Mosquitto } from '../support/mosquitto.js';
import { startMosquitto } from '../support/mosquitto.js';
import type { SeqCounter } from '../support/seq-counter.js';
import { subscribeSeqs } from '../support/seq-counter.js';

const START = '2026-03-02T06:00:00+07:00';

/** Messages per publisher that a run sends: each publisher's seqs are 0 … n − 1. */
async function expectedSeqs(
  durationMs: number,
): Promise<{ perPublisher: Map<string, number>; total: number }> {
  const simulation = createSimulation(await loadScenario('demo'), {
    seed: '5',
    startMs: Date.parse(START),
    durationMs,
    truth: collectingSink(),
  });
  const perPublisher = new Map<string, number>();
  let total = 0;
  for (const message of simulation.messages() as Iterable<SimMessage>) {
    const publisher = message.topic.split('/').slice(0, 7).join('/');
    perPublisher.set(publisher, (perPublisher.get(publisher) ?? 0) + 1);
    total += 1;
  }
  return { perPublisher, total };
}

function missing(counter: SeqCounter, expected: Map<string, number>): Record<string, number> {
  const gaps: Record<string, number> = {};
  for (const [publisher, count] of expected) {
    const got = counter.seqs.get(publisher);
    let absent = 0;
    for (let seq = 0; seq < count; seq += 1) if (!got?.has(seq)) absent += 1;
    if (absent > 0) gaps[publisher] = absent;
  }
  return gaps;
}

describe('publishing to Debian Mosquitto', () => {
  let broker: Mosquitto;
  const users: Record<string, string> = { observer: 'observer-secret' };

  beforeAll(async () => {
    const scenario = await loadScenario('demo');
    const { plan } = createSimulation(scenario, { seed: '5', truth: collectingSink() });
    // One account per device: username "<line>.<cell>", password "pw-<cell>".
    for (const path of [
      ...plan.cells.map((cell) => cell.path),
      ...plan.lines.map((line) => `${line.path}/_line`),
    ]) {
      const [, , line, cell] = path.split('/');
      users[`${line}.${cell}`] = `pw-${cell}`;
    }
    broker = await startMosquitto(users);
  });

  afterAll(async () => {
    await broker?.dispose();
  });

  it('`sim run` delivers every message, counted by seq, with per-device credentials and QoS 1', async () => {
    const durationMs = 2 * 3_600_000;
    const expected = await expectedSeqs(durationMs);
    const counter = await subscribeSeqs(broker.url, 'observer', users.observer as string);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const sim = simCommand().exitOverride();
      for (const command of sim.commands as Command[]) command.exitOverride();
      await sim.parseAsync(
        [
          'run',
          '--url',
          broker.url,
          '--seed',
          '5',
          '--start',
          START,
          '--duration',
          '2h',
          '--speed',
          'max',
          '--qos',
          '1',
          '--username',
          '{line}.{cell}',
          '--password',
          'pw-{cell}',
          '--no-progress',
        ],
        { from: 'user' },
      );
    } finally {
      vi.restoreAllMocks();
    }
    expect(process.exitCode ?? 0).toBe(0);
    const complete = await counter.waitFor(expected.perPublisher, 30_000);
    await counter.client.endAsync();
    expect(missing(counter, expected.perPublisher)).toEqual({});
    expect(complete).toBe(true);
    expect(expected.perPublisher.size).toBe(23);
    expect(counter.received).toBeGreaterThanOrEqual(expected.total);
  });

  it('`sim replay` publishes a recording at its recorded pace ×N, every message, counted by seq', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-replay-'));
    const file = join(dir, 'rec.jsonl');
    const expected = await expectedSeqs(3_600_000);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const sim = () => {
      const command = simCommand().exitOverride();
      for (const sub of command.commands as Command[]) sub.exitOverride();
      return command;
    };
    const counter = await subscribeSeqs(broker.url, 'observer', users.observer as string);
    try {
      await sim().parseAsync(
        ['record', '--seed', '5', '--start', START, '--duration', '1h', '--out', file, '--no-progress'],
        {
          from: 'user',
        },
      );
      await sim().parseAsync(
        [
          'replay',
          '--in',
          file,
          '--url',
          broker.url,
          '--speed',
          '1800',
          '--username',
          '{line}.{cell}',
          '--password',
          'pw-{cell}',
          '--no-progress',
        ],
        { from: 'user' },
      );
    } finally {
      vi.restoreAllMocks();
    }
    expect(process.exitCode ?? 0).toBe(0);
    // The pace (one simulated hour at ×1800 is two wall seconds) is pacer.test.ts's, on an injected clock.
    const complete = await counter.waitFor(expected.perPublisher, 30_000);
    await counter.client.endAsync();
    expect(missing(counter, expected.perPublisher)).toEqual({});
    expect(complete).toBe(true);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(expected.total);
  });

  it('simulated disconnects and a broker outage drop real connections; nothing is lost', async () => {
    const expected = await expectedSeqs(3 * 3_600_000);
    const counter = await subscribeSeqs(broker.url, 'observer', users.observer as string);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const logBefore = readFileSync(broker.logFile, 'utf8').length;
    try {
      const sim = simCommand().exitOverride();
      for (const command of sim.commands as Command[]) command.exitOverride();
      await sim.parseAsync(
        [
          'run',
          '--url',
          broker.url,
          '--seed',
          '5',
          '--start',
          START,
          '--duration',
          '3h',
          '--speed',
          '3600',
          '--client-id',
          'link-{line}-{cell}',
          '--username',
          '{line}.{cell}',
          '--password',
          'pw-{cell}',
          '--disconnect',
          'binh-duong/smt/smt-1/printer@1h+20m',
          '--broker-outage',
          '2h+10m',
          '--no-progress',
        ],
        { from: 'user' },
      );
    } finally {
      vi.restoreAllMocks();
    }
    expect(process.exitCode ?? 0).toBe(0);
    const complete = await counter.waitFor(expected.perPublisher, 30_000);
    await counter.client.endAsync();
    expect(missing(counter, expected.perPublisher)).toEqual({});
    expect(complete).toBe(true);
    // The broker saw the connections come back: the printer twice (its disconnect, the outage),
    // every other device once (the outage).
    const log = readFileSync(broker.logFile, 'utf8').slice(logBefore);
    const connects = (clientId: string) =>
      log
        .split('\n')
        .filter((line) => line.includes(`New client connected`) && line.includes(` as ${clientId} `)).length;
    expect(connects('link-smt-1-printer')).toBe(3);
    expect(connects('link-smt-2-printer')).toBe(2);
    expect(connects('link-fa-1-_line')).toBe(2);
  });

  it('survives a broker restart: devices reconnect with backoff and resend what they buffered', async () => {
    const durationMs = 3 * 3_600_000;
    const expected = await expectedSeqs(durationMs);
    const counter = await subscribeSeqs(broker.url, 'observer', users.observer as string);
    const scenario = await loadScenario('demo');
    const simulation = createSimulation(scenario, {
      seed: '5',
      startMs: Date.parse(START),
      durationMs,
      truth: collectingSink(),
    });
    const fleet = new MqttFleet({
      url: broker.url,
      qos: 1,
      identity: (path) =>
        identityOf(scenario.enterprise, path, {
          clientId: 'outage-{line}-{cell}',
          username: '{line}.{cell}',
          password: 'pw-{cell}',
          credentials: undefined,
        }),
      connectConcurrency: 50,
      bufferLimit: 100_000,
      maxInFlight: 1000,
      backoff: { initialMs: 100, maxMs: 2000 },
      keepaliveSeconds: 30,
      protocolVersion: 5,
    });
    await fleet.connectAll(
      Array.from({ length: simulation.deviceCount }, (_, device) => simulation.faults.devicePath(device)),
    );
    // Three simulated hours in about six seconds; the broker is down from 2 s to 3.5 s.
    const outage = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await broker.stop();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await broker.start();
    })();
    await publishStream(simulation.messages(), fleet, simulation.faults.devicePath, {
      pacer: new Pacer({ kind: 'factor', factor: 1800 }),
      counters: { messages: 0, errors: 0, simMs: 0 },
    });
    await outage;
    await fleet.close(30_000);
    const complete = await counter.waitFor(expected.perPublisher, 30_000);
    await counter.client.endAsync();
    expect(fleet.stats.reconnects).toBeGreaterThanOrEqual(20);
    expect(fleet.stats.lost).toBe(0);
    expect(missing(counter, expected.perPublisher)).toEqual({});
    expect(complete).toBe(true);
  });
});

describe('a refused password', () => {
  it('makes `sim run` fail with the broker reason instead of waiting forever', async () => {
    const broker = await startMosquitto({ observer: 'x' });
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      errors.push(String(text));
      return true;
    });
    try {
      const sim = simCommand().exitOverride();
      for (const command of sim.commands as Command[]) command.exitOverride();
      await sim.parseAsync(
        [
          'run',
          '--url',
          broker.url,
          '--username',
          'nobody',
          '--password',
          'wrong',
          '--connect-timeout',
          '2',
          '--duration',
          '1h',
          '--no-progress',
        ],
        { from: 'user' },
      );
    } finally {
      vi.restoreAllMocks();
      await broker.dispose();
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    expect(errors.join('')).toMatch(
      /could not connect to mqtt:\/\/127\.0\.0\.1:\d+ in 2000 ms: .*(Not authorized|Bad User Name or Password)/i,
    );
  });
});
