import { describe, expect, it } from 'vitest';
import { aclOfStoredWill, WILL_OWNER_FIELD, willOwnerOf } from '../../src/acl/will-owner.js';

const CELL = 'acme/hcm/assembly/line-1/press-1';
const device = {
  username: 'press-1',
  role: 'device' as const,
  cell: CELL,
  labour: false,
  publish: [],
  subscribe: [],
  source: 'credentials' as const,
};

describe('the owner stored with a will', () => {
  it('lets a stored will out only within its owner’s rights', () => {
    const will = { topic: 'x', [WILL_OWNER_FIELD]: willOwnerOf(device) };
    const acl = aclOfStoredWill(will);
    expect(acl?.canPublish(`mekong/v1/${CELL}/state`)).toBe(true);
    expect(acl?.canPublish('mekong/v1/acme/hcm/assembly/line-1/press-2/cmd/stop')).toBe(false);
  });

  it('survives the round trip through a store as plain data', () => {
    const stored = JSON.parse(JSON.stringify({ [WILL_OWNER_FIELD]: willOwnerOf(device) }));
    expect(aclOfStoredWill(stored)?.canPublish(`mekong/v1/${CELL}/alarm`)).toBe(true);
  });

  it.each([
    ['no owner (stored by an older broker, or forged)', {}],
    ['an owner without a username', { [WILL_OWNER_FIELD]: { role: 'admin', publish: [] } }],
    ['an unknown role', { [WILL_OWNER_FIELD]: { username: 'x', role: 'root', publish: [] } }],
    [
      'publish rights that are not strings',
      { [WILL_OWNER_FIELD]: { username: 'x', role: 'service', publish: [1] } },
    ],
  ])('refuses a will with %s', (_name, will) => {
    expect(aclOfStoredWill(will as Record<string, unknown>)).toBeUndefined();
  });
});
