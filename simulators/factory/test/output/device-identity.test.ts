import { describe, expect, it } from 'vitest';
import { identityOf } from '../../src/output/device-identity.js';

describe('device identity', () => {
  it('fills templates per device; explicit credentials win', () => {
    const templates = {
      clientId: 'sim-{site}-{line}-{cell}',
      username: '{site}.{line}.{cell}',
      password: 'secret-{cell}',
      credentials: { 'hcm/a/l1/press': { username: 'press-user', password: 'p' } },
    };
    expect(identityOf('acme', 'hcm/a/l1/drill', templates)).toEqual({
      clientId: 'sim-hcm-l1-drill',
      username: 'hcm.l1.drill',
      password: 'secret-drill',
    });
    expect(identityOf('acme', 'hcm/a/l1/press', templates)).toEqual({
      clientId: 'sim-hcm-l1-press',
      username: 'press-user',
      password: 'p',
    });
    expect(
      identityOf('acme', 'hcm/a/l1/_line', {
        ...templates,
        username: undefined,
        password: undefined,
        credentials: undefined,
      }),
    ).toEqual({
      clientId: 'sim-hcm-l1-_line',
      username: undefined,
      password: undefined,
    });
  });
});
