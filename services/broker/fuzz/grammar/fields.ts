import type { Random } from '../random.js';
import type { Properties } from './encode.js';

// Field values of MQTT 5 packets, each drawn with its edge cases: empty, zero, one, maximum, many.

export const U16_MAX = 0xffff;
export const U32_MAX = 0xffff_ffff;
/** The largest variable byte integer. */
export const VARINT_MAX = 268_435_455;

/** The users of the fuzzed broker (test/helpers/broker-fixture.ts), all with the same password. */
export const USERS = [
  { username: 'press-1', cell: 'acme/hcm/assembly/line-1/press-1' },
  { username: 'press-2', cell: 'acme/hcm/assembly/line-1/press-2' },
  { username: 'bridge', cell: 'acme/hcm/assembly/line-1/press-1' },
  { username: 'admin', cell: 'acme/hcm/assembly/line-2/weld-1' },
] as const;
export type User = (typeof USERS)[number];

export function text(r: Random): string {
  return r.pick([
    '',
    'a',
    'ünïcödé 日本',
    'x'.repeat(r.int(1, 300)),
    'with space',
    '\u{1F600}',
    'a/b',
    '+',
    '#',
  ]);
}

/** A topic name: the user's own, other cells', commands, system, empty, too deep or too long. */
export function topic(r: Random, user: User): string {
  const kind = r.pick(['count', 'state', 'alarm', 'energy', 'cmd/reset', 'cmd/setpoint', 'x']);
  return r.pick([
    `mekong/v1/${user.cell}/${kind}`,
    `mekong/v1/${user.cell}/${kind}`,
    `mekong/v1/${r.pick(USERS).cell}/${kind}`,
    'mekong/v1/acme/hcm/assembly/line-1/press-1/cmd/reset',
    `$SYS/broker/${kind}`,
    'fuzz/probe',
    '',
    '/',
    'a//b',
    Array.from({ length: r.int(15, 40) }, (_, i) => `l${i}`).join('/'),
    'm'.repeat(r.pick([255, 256, 257, 1000])),
    'ünïcödé/日本',
  ]);
}

/** A topic filter: exact topics, wildcards in every place, shared subscriptions, invalid ones. */
export function topicFilter(r: Random, user: User): string {
  return r.pick([
    topic(r, user),
    `mekong/v1/${user.cell}/#`,
    `mekong/v1/${user.cell}/+`,
    'mekong/v1/+/+/+/+/+/count',
    'mekong/#',
    '#',
    '+',
    '+/+/+',
    '$SYS/#',
    `$share/g${r.int(0, 3)}/mekong/v1/${user.cell}/count`,
    `$share/g/mekong/#`,
    '$share//mekong/#',
    '$share/g',
    '$share/g+/x',
    'a/#/b',
    'a/b#',
    'a+/b',
    '',
  ]);
}

/** A payload: empty, a valid count reading, broken JSON, binary, large. */
export function payload(r: Random): Buffer {
  const seq = r.edge(U32_MAX);
  return r.pick([
    () => Buffer.alloc(0),
    () =>
      Buffer.from(
        JSON.stringify({
          ts: '2026-03-02T06:15:00+07:00',
          seq,
          good: r.edge(1000),
          scrap: 0,
          product: 'bracket-a',
        }),
      ),
    () => Buffer.from('{"seq":'),
    () => Buffer.from(JSON.stringify({ ts: 'x', seq: -1, nested: { a: [null, true, 1e308] } })),
    () => r.bytes(r.int(1, 64)),
    () => Buffer.alloc(r.pick([1024, 64 * 1024, 64 * 1024 + 1, 200 * 1024]), 0x7b),
  ])();
}

export function userProperties(r: Random): Record<string, string | string[]> {
  return r.pick([
    () => ({}),
    () => ({ a: 'b' }),
    () => ({ '': '' }),
    () => ({ k: ['1', '2', '3'] }),
    () => Object.fromEntries(Array.from({ length: r.int(2, 100) }, (_, i) => [`key-${i}`, text(r)])),
  ])();
}

/**
 * Some of `all`: none, one, each with a chance, or every one of them. A property left out is a
 * missing optional part; `all` lists every property the packet type may carry.
 */
export function someOf(r: Random, all: Properties): Properties | undefined {
  const mode = r.int(0, 3);
  if (mode === 0) return undefined;
  const entries = Object.entries(all);
  if (mode === 1) {
    const [name, value] = r.pick(entries);
    return { [name]: value };
  }
  return Object.fromEntries(mode === 2 ? entries.filter(() => r.chance(0.5)) : entries);
}

/** One of the reason codes MQTT 5 defines for `cmd`, or an undefined one. */
export function reasonCode(r: Random, codes: readonly number[]): number {
  return r.chance(0.9) ? r.pick(codes) : r.int(0, 255);
}

export const ACK_CODES = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x92, 0x97, 0x99] as const;
export const DISCONNECT_CODES = [
  0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97,
  0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
] as const;
export const AUTH_CODES = [0x00, 0x18, 0x19] as const;
