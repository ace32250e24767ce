import { describe, expect, it } from 'vitest';
import { compileAcl } from '../../src/acl/topic-acl.js';
import type { Identity } from '../../src/auth/identity.js';

const base = { labour: false, publish: [], subscribe: [], source: 'credentials' } as const;
const cell = 'acme/hcm/assembly/line-1/press-1';
const device = (labour = false): Identity => ({ ...base, username: 'press-1', role: 'device', cell, labour });

describe('device ACL', () => {
  it.each([
    [`mekong/v1/${cell}/count`, true],
    [`mekong/v1/${cell}/state`, true],
    [`mekong/v1/${cell}/cmd/reset`, false],
    ['mekong/v1/acme/hcm/assembly/line-1/press-2/count', false],
    ['mekong/v1/acme/hcm/assembly/line-1/_line/labour', false],
    [`mekong/v1/${cell}/count/extra`, false],
  ])('publish %s → %s', (topic, allowed) => {
    expect(compileAcl(device()).canPublish(topic)).toBe(allowed);
  });

  it('allows its line labour topic only with the labour right', () => {
    expect(compileAcl(device(true)).canPublish('mekong/v1/acme/hcm/assembly/line-1/_line/labour')).toBe(true);
    expect(compileAcl(device(true)).canPublish('mekong/v1/acme/hcm/assembly/line-2/_line/labour')).toBe(
      false,
    );
  });

  it.each([
    [`mekong/v1/${cell}/cmd/#`, true],
    [`mekong/v1/${cell}/cmd/reset`, true],
    [`mekong/v1/${cell}/cmd/+`, false],
    [`mekong/v1/${cell}/#`, false],
    ['mekong/#', false],
    ['#', false],
    ['mekong/v1/acme/hcm/assembly/line-1/press-2/cmd/#', false],
  ])('subscribe %s → %s', (filter, allowed) => {
    expect(compileAcl(device()).canSubscribe(filter)).toBe(allowed);
  });
});

describe('service ACL', () => {
  const service: Identity = {
    ...base,
    username: 'bridge',
    role: 'service',
    publish: ['mekong/v1/+/+/+/+/+/cmd/#'],
    subscribe: ['mekong/#'],
  };
  it('subscribes within its filters, never to $SYS', () => {
    const acl = compileAcl(service);
    expect(acl.canSubscribe('mekong/v1/#')).toBe(true);
    expect(acl.canSubscribe('mekong/+/acme/#')).toBe(true);
    expect(acl.canSubscribe('#')).toBe(false);
    expect(acl.canSubscribe('$SYS/#')).toBe(false);
  });
  it('publishes only where configured', () => {
    const acl = compileAcl(service);
    expect(acl.canPublish(`mekong/v1/${cell}/cmd/reset`)).toBe(true);
    expect(acl.canPublish(`mekong/v1/${cell}/count`)).toBe(false);
  });
});

describe('admin ACL', () => {
  it('allows everything', () => {
    const acl = compileAcl({ ...base, username: 'admin', role: 'admin' });
    expect(acl.canPublish('$SYS/x')).toBe(true);
    expect(acl.canSubscribe('#')).toBe(true);
  });
});
