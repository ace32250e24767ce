import { parseEventTime, parseMessage } from '@mekong/contracts';
import { describe, expect, it } from 'vitest';
import type { SimMessage } from '../../src/core/sim-message.js';
import type { FaultsSpec } from '../../src/scenario/schema.js';
import { handScenario } from '../support/hand-scenario.js';
import { at, payloadOf, runScenario } from '../support/run.js';

const none: FaultsSpec = {
  malformedRate: 0,
  duplicateRate: 0,
  outOfOrderRate: 0,
  clockSkew: [],
  disconnects: [],
  bursts: [],
  brokerOutages: [],
};

function valid(message: SimMessage): boolean {
  return parseMessage(message.topic, Buffer.from(JSON.stringify(message.payload))).ok;
}

function seqOf(message: SimMessage): unknown {
  return payloadOf(message).seq;
}

const clean = runScenario(handScenario());

describe('malformed messages', () => {
  const { messages, faults, rows } = runScenario(handScenario(), {
    faults: { ...none, malformedRate: 0.05 },
  });
  const bad = messages.filter((m) => !valid(m));

  it('are exactly the configured share of what is delivered, ⌊n × rate⌋', () => {
    expect(messages.length).toBe(clean.messages.length + bad.length);
    expect(bad.length).toBe(Math.floor((messages.length * 5) / 100));
    expect(bad.length).toBeGreaterThan(10);
  });

  it('are each listed in the ground truth with their topic', () => {
    const listed = faults.filter((f) => f.type === 'malformed');
    expect(listed).toHaveLength(bad.length);
    expect(listed.map((f) => f.topic)).toEqual(bad.map((m) => m.topic));
    expect(new Set(listed.map((f) => f.detail)).size).toBeGreaterThan(1);
  });

  it('are inserted: every valid message is still delivered, in order, and the truth is unchanged', () => {
    expect(messages.filter(valid).map((m) => JSON.stringify(m))).toEqual(
      clean.messages.map((m) => JSON.stringify(m)),
    );
    expect(rows).toEqual(clean.rows);
  });
});

describe('duplicates', () => {
  const { messages, faults } = runScenario(handScenario(), { faults: { ...none, duplicateRate: 0.02 } });

  it('are exact copies, same seq, right after the original, each listed', () => {
    const listed = faults.filter((f) => f.type === 'duplicate');
    expect(listed.length).toBeGreaterThan(5);
    expect(messages.length).toBe(clean.messages.length + listed.length);
    let found = 0;
    for (let i = 1; i < messages.length; i += 1) {
      const a = messages[i - 1] as SimMessage;
      const b = messages[i] as SimMessage;
      if (a.topic === b.topic && JSON.stringify(a.payload) === JSON.stringify(b.payload)) {
        found += 1;
        expect(listed[found - 1]).toMatchObject({ topic: b.topic, seq: seqOf(b) });
      }
    }
    expect(found).toBe(listed.length);
  });
});

describe('out-of-order delivery', () => {
  const { messages, faults } = runScenario(handScenario(), { faults: { ...none, outOfOrderRate: 0.05 } });

  it('delivers a message after a later one of the same device, visible by ts, each listed', () => {
    const listed = faults.filter((f) => f.type === 'out_of_order');
    expect(listed.length).toBeGreaterThan(5);
    expect(messages.length).toBe(clean.messages.length);
    const lastTs = new Map<string, number>();
    let backwards = 0;
    for (const message of messages) {
      const device = message.topic.split('/').slice(0, 7).join('/');
      const ts = Date.parse(String(payloadOf(message).ts));
      if (ts < (lastTs.get(device) ?? 0)) {
        backwards += 1;
        expect(listed.some((f) => f.topic === message.topic && f.seq === seqOf(message))).toBe(true);
      }
      lastTs.set(device, Math.max(ts, lastTs.get(device) ?? 0));
    }
    expect(backwards).toBe(listed.length);
  });
});

describe('clock skew', () => {
  const { messages, faults } = runScenario(handScenario(), {
    faults: { ...none, clockSkew: [{ cells: 'hcm/assembly/line-1/press', offset: 90, driftPpm: 100 }] },
  });

  it('offsets the skewed device ts by offset + drift, and no other device', () => {
    for (const message of messages) {
      const ts = parseEventTime(payloadOf(message).ts);
      if (!ts.ok) throw new Error('invalid ts');
      const skewed = message.topic.includes('/press/');
      const drift = Math.round(((message.tsMs - at('00:00:00')) * 100) / 1_000_000);
      expect(ts.value.epochMs - message.tsMs).toBe(skewed ? 90_000 + drift : 0);
    }
    expect(faults.filter((f) => f.type === 'clock_skew')).toEqual([
      expect.objectContaining({
        device: 'hcm/assembly/line-1/press',
        detail: 'device clock +90000 ms, drift 100 ppm',
      }),
    ]);
  });
});

describe('device disconnects', () => {
  const window = { cells: 'hcm/assembly/line-1/press', after: 7 * 3600, duration: 1800 };
  const inWindow = (m: SimMessage) =>
    m.topic.includes('/press/') && m.tsMs >= at('07:00:00') && m.tsMs < at('07:30:00');
  const expectedHeld = clean.messages.filter(inWindow).length;

  it('store and resend: held messages go out at reconnect, in order, with their own ts', () => {
    const { messages, faults } = runScenario(handScenario(), {
      faults: { ...none, disconnects: [{ ...window, mode: 'resend' }] },
    });
    expect(expectedHeld).toBeGreaterThan(10);
    expect(messages.length).toBe(clean.messages.length);
    const resent = messages.filter(inWindow);
    expect(resent.every((m) => m.sendAtMs === at('07:30:00'))).toBe(true);
    expect(resent.map(seqOf)).toEqual(clean.messages.filter(inWindow).map(seqOf));
    expect(faults).toEqual([
      expect.objectContaining({
        type: 'disconnect',
        messages: expectedHeld,
        lost: 0,
        from: '2026-03-02T07:00:00.000+07:00',
      }),
    ]);
  });

  it('loss: the messages of the window are gone, and counted', () => {
    const { messages, faults } = runScenario(handScenario(), {
      faults: { ...none, disconnects: [{ ...window, mode: 'loss' }] },
    });
    expect(messages.length).toBe(clean.messages.length - expectedHeld);
    expect(messages.some(inWindow)).toBe(false);
    expect(faults).toEqual([
      expect.objectContaining({ type: 'disconnect', messages: 0, lost: expectedHeld }),
    ]);
  });
});

describe('broker outage', () => {
  const inOutage = (m: SimMessage) => m.tsMs >= at('06:30:00') && m.tsMs < at('06:40:00');

  it('every device buffers and resends at the end; beyond the buffer limit the oldest are lost', () => {
    const { messages, faults } = runScenario(handScenario(), {
      faults: { ...none, brokerOutages: [{ after: 6.5 * 3600, duration: 600, bufferLimit: 3 }] },
    });
    const during = clean.messages.filter(inOutage);
    expect(during.length).toBeGreaterThan(6);
    // The limit is per outage here: three messages kept in all.
    const kept = messages.filter(inOutage);
    expect(kept.map(seqOf)).toEqual(during.slice(-3).map(seqOf));
    expect(kept.every((m) => m.sendAtMs === at('06:40:00'))).toBe(true);
    expect(faults).toEqual([
      expect.objectContaining({ type: 'broker_outage', device: '*', messages: 3, lost: during.length - 3 }),
    ]);
  });
});

describe('bursts', () => {
  it('send sensor readings at the burst interval for its duration, and log how many', () => {
    const { messages, faults } = runScenario(handScenario(), {
      faults: { ...none, bursts: [{ cells: '**/press', after: 3600, duration: 10, interval: 0.1 }] },
    });
    const inBurst = (m: SimMessage) =>
      m.topic.endsWith('/press/sensor') && m.tsMs >= at('01:00:00') && m.tsMs < at('01:00:10');
    const burst = messages.filter(inBurst);
    // 10 s at one reading every 100 ms; the regular 600 s grid has no reading in those 10 s.
    expect(clean.messages.filter(inBurst)).toHaveLength(0);
    expect(burst).toHaveLength(100);
    expect(burst[1]?.tsMs).toBe(at('01:00:00') + 100);
    expect(burst.every(valid)).toBe(true);
    expect(faults).toEqual([
      expect.objectContaining({ type: 'burst', device: 'hcm/assembly/line-1/press', messages: 100 }),
    ]);
    expect(messages.length).toBe(clean.messages.length + 100);
  });
});

describe('faults and ground truth', () => {
  it('faults change the stream, never the truth', () => {
    const { rows } = runScenario(handScenario(), {
      faults: {
        ...none,
        malformedRate: 0.01,
        duplicateRate: 0.01,
        outOfOrderRate: 0.01,
        disconnects: [{ cells: '**', after: 3600 * 9, duration: 900, mode: 'loss' }],
        brokerOutages: [{ after: 3600 * 12, duration: 300, bufferLimit: 100 }],
      },
    });
    expect(rows).toEqual(clean.rows);
  });
});

describe('random disconnects', () => {
  it('drop messages in drawn windows, each window listed with what it lost', () => {
    const { messages, faults } = runScenario(handScenario(), {
      faults: {
        ...none,
        randomDisconnects: { perDevicePerDay: 24, duration: { dist: 'fixed', value: 600 }, mode: 'loss' },
      },
    });
    const listed = faults.filter((f) => f.type === 'disconnect');
    expect(listed.length).toBeGreaterThan(5);
    const lost = listed.reduce((sum, f) => sum + (f.lost ?? 0), 0);
    expect(lost).toBeGreaterThan(0);
    expect(messages.length).toBe(clean.messages.length - lost);
    for (const f of listed) expect(Date.parse(f.to ?? '') - Date.parse(f.from ?? '')).toBe(600_000);
  });
});
