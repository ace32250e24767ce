import { CELL_KINDS, LINE_LEVEL_CELL, TOPIC_ROOT } from '@mekong/contracts';
import type { Identity } from '../auth/identity.js';
import { filterCovers, hasWildcard, topicMatches } from './topic-filter.js';

/**
 * The ACL of one connected client, compiled once at CONNECT so a publish costs a set lookup.
 *
 * - device: publishes `mekong/v1/<cell path>/<state|count|sensor|alarm>`, and its line's
 *   `…/_line/labour` when allowed; subscribes to its own command topics `mekong/v1/<cell path>/cmd/…`
 *   (exact topics, or exactly `…/cmd/#`) and nothing else, no other wildcard;
 * - service: publishes and subscribes within the filters of its credentials (or the broker's defaults);
 * - admin and (development only) anonymous: everything.
 */
export interface TopicAcl {
  canPublish(topic: string): boolean;
  canSubscribe(filter: string): boolean;
}

const everything: TopicAcl = { canPublish: () => true, canSubscribe: () => true };

export function compileAcl(identity: Identity): TopicAcl {
  switch (identity.role) {
    case 'admin':
    case 'anonymous':
      return everything;
    case 'device':
      return deviceAcl(identity.cell ?? '', identity.labour);
    case 'service':
      return serviceAcl(identity.publish, identity.subscribe);
  }
}

function deviceAcl(cell: string, labour: boolean): TopicAcl {
  const cellRoot = `${TOPIC_ROOT}/${cell}`;
  const publishable = new Set(CELL_KINDS.map((kind) => `${cellRoot}/${kind}`));
  if (labour) {
    const line = cell.split('/').slice(0, 4).join('/');
    publishable.add(`${TOPIC_ROOT}/${line}/${LINE_LEVEL_CELL}/labour`);
  }
  const commands = `${cellRoot}/cmd/`;
  return {
    canPublish: (topic) => cell !== '' && publishable.has(topic),
    canSubscribe: (filter) =>
      cell !== '' &&
      (filter === `${commands}#` ||
        (filter.startsWith(commands) && filter.length > commands.length && !hasWildcard(filter))),
  };
}

function serviceAcl(publish: readonly string[], subscribe: readonly string[]): TopicAcl {
  return {
    canPublish: (topic) => publish.some((filter) => topicMatches(filter, topic)),
    canSubscribe: (filter) => subscribe.some((allowed) => filterCovers(allowed, filter)),
  };
}
