import { describe, expect, it } from 'vitest';
import { addressOf, LoginThrottle } from '../../src/auth/login-throttle.js';

const settings = { maxFailuresPerUser: 3, maxFailuresPerAddress: 5, windowMs: 60_000, maxEntries: 100 };
const A = '10.0.0.1:4000';
const B = '10.0.0.2:4000';

function fail(throttle: LoginThrottle, username: string | undefined, remote: string, times: number, now = 0) {
  for (let i = 0; i < times; i++) {
    const attempt = throttle.begin(username, remote, now);
    if (!attempt) throw new Error(`attempt ${i + 1} of ${username} from ${remote} was throttled`);
    attempt.failed(now);
  }
}

describe('LoginThrottle', () => {
  it('refuses a username after its failures, from any address, until the window ends', () => {
    const throttle = new LoginThrottle(settings);
    fail(throttle, 'press-1', A, 3);
    expect(throttle.begin('press-1', A, 1)).toBeUndefined();
    expect(throttle.begin('press-1', B, 1)).toBeUndefined();
    expect(throttle.begin('press-2', B, 1)).toBeDefined();
    expect(throttle.begin('press-1', B, 60_000)).toBeDefined();
  });

  it('refuses an address after failures of different usernames, not other addresses', () => {
    const throttle = new LoginThrottle(settings);
    for (let i = 0; i < 5; i++) fail(throttle, `user-${i}`, A, 1);
    expect(throttle.begin('someone', A, 1)).toBeUndefined();
    expect(throttle.begin('someone', B, 1)).toBeDefined();
  });

  it('groups an IPv6 /64 and IPv4-mapped addresses', () => {
    const throttle = new LoginThrottle(settings);
    for (let i = 0; i < 5; i++) fail(throttle, `user-${i}`, `[2001:db8:0:1::${i + 1}]:1883`, 1);
    expect(throttle.begin('x', '[2001:db8:0:1:ffff::9]:1883', 1)).toBeUndefined();
    expect(throttle.begin('x', '[2001:db8:0:2::1]:1883', 1)).toBeDefined();
    expect(addressOf('[::ffff:10.0.0.1]:9')).toBe('10.0.0.1');
    expect(addressOf('10.0.0.1:9')).toBe('10.0.0.1');
    expect(addressOf('[2001:0db8:0000:0001:0:0:0:1]:9')).toBe('2001:db8:0:1::/64');
    expect(addressOf('[::1]:9')).toBe('0:0:0:0::/64');
  });

  it('counts checks in progress, so a concurrent burst cannot pass all at once; abandoned ones are not failures', () => {
    const throttle = new LoginThrottle(settings);
    const first = throttle.begin('press-1', A, 0);
    const second = throttle.begin('press-1', A, 0);
    const third = throttle.begin('press-1', A, 0);
    expect(throttle.begin('press-1', A, 0)).toBeUndefined();
    first?.abandoned();
    second?.abandoned();
    third?.abandoned();
    fail(throttle, 'press-1', A, 2);
    expect(throttle.begin('press-1', A, 0)).toBeDefined();
  });

  it('a success clears the failures of its username, not of its address', () => {
    const throttle = new LoginThrottle(settings);
    fail(throttle, 'press-1', A, 2);
    throttle.begin('press-1', A, 0)?.succeeded(0);
    fail(throttle, 'press-1', A, 2);
    expect(throttle.begin('press-1', A, 0)).toBeDefined();
    expect(throttle.begin('press-9', A, 0)).toBeUndefined();
  });

  it('tracks at most maxEntries usernames and addresses', () => {
    const throttle = new LoginThrottle(settings);
    for (let i = 0; i < 5_000; i++) fail(throttle, `user-${i}`, `10.1.${i >> 8}.${i & 255}:1`, 1, i);
    expect(throttle.size.users).toBeLessThanOrEqual(100);
    expect(throttle.size.addresses).toBeLessThanOrEqual(100);
    expect(throttle.size.users).toBeGreaterThan(50);
  });

  it('0 switches a limit off', () => {
    const throttle = new LoginThrottle({ ...settings, maxFailuresPerUser: 0, maxFailuresPerAddress: 0 });
    fail(throttle, 'press-1', A, 50);
  });
});
