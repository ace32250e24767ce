import type { Identity } from '../auth/identity.js';
import { roles } from '../auth/identity.js';
import { compileAcl, type TopicAcl } from './topic-acl.js';

/**
 * Who a will belongs to, stored with the will itself (aedes keeps the will object as it is, in memory,
 * LevelDB or Redis), so that a will published long after its client left — after a broker restart, or
 * by another broker of a Redis cluster, when aedes has no client to pass (`client = null`) — is checked
 * against the rights of the identity that set it.
 */
export interface WillOwner {
  username: string;
  role: Identity['role'];
  cell?: string;
  labour: boolean;
  publish: string[];
}

/** The field of a stored will that carries its owner. */
export const WILL_OWNER_FIELD = 'mekongOwner';

export function willOwnerOf(identity: Identity): WillOwner {
  return {
    username: identity.username,
    role: identity.role,
    ...(identity.cell ? { cell: identity.cell } : {}),
    labour: identity.labour,
    publish: [...identity.publish],
  };
}

/** The ACL of a stored will's owner; undefined when the will has none or a malformed one (refuse it). */
export function aclOfStoredWill(will: Record<string, unknown>): TopicAcl | undefined {
  const owner = will[WILL_OWNER_FIELD] as Partial<WillOwner> | undefined;
  if (!owner || typeof owner !== 'object' || typeof owner.username !== 'string') return undefined;
  const role = owner.role;
  if (role !== 'anonymous' && !roles.includes(role as (typeof roles)[number])) return undefined;
  if (!Array.isArray(owner.publish) || !owner.publish.every((f) => typeof f === 'string')) return undefined;
  return compileAcl({
    username: owner.username,
    role: role as Identity['role'],
    ...(typeof owner.cell === 'string' ? { cell: owner.cell } : {}),
    labour: owner.labour === true,
    publish: owner.publish,
    subscribe: [],
    source: 'credentials',
  });
}
