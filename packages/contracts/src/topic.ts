import { MekongError } from './errors.js';
import type { CellKind, LineKind } from './kinds.js';
import { isCellKind, isLineKind } from './kinds.js';
import type { Result } from './result.js';
import { fail, ok } from './result.js';

/** Root of every v1 topic; a new major version of the contract is a new root (`mekong/v2`). */
export const TOPIC_ROOT = 'mekong/v1';
/** Stands in the cell position for events about a whole line; never a valid cell name. */
export const LINE_LEVEL_CELL = '_line';

const LINE_LEVELS = ['enterprise', 'site', 'area', 'line'] as const;

/** ISA-95 position of a production line. */
export interface LineAddress {
  enterprise: string;
  site: string;
  area: string;
  line: string;
}

/** ISA-95 position of a cell: one machine or workstation. */
export interface CellAddress extends LineAddress {
  cell: string;
}

export type CellTopicAddress<K extends CellKind = CellKind> = CellAddress & { kind: K };
export type LineTopicAddress<K extends LineKind = LineKind> = LineAddress & { kind: K };
/** What a topic says: who published and what kind of payload follows. */
export type TopicAddress = CellTopicAddress | LineTopicAddress;

export function isValidLevelName(name: string): boolean {
  return typeof name === 'string' && isLevelName(name);
}

function invalidTopic(path: string[], message: string): Result<TopicAddress> {
  return fail({ code: 'MEKONG_INVALID_TOPIC', path: ['topic', ...path], message });
}

/**
 * Reads `mekong/v1/<enterprise>/<site>/<area>/<line>/<cell>/<kind>` or
 * `mekong/v1/<enterprise>/<site>/<area>/<line>/_line/labour`. Never throws.
 */
export function parseTopic(topic: string): Result<TopicAddress> {
  if (typeof topic !== 'string') return invalidTopic([], 'topic must be a string');
  const address = readWellFormedTopic(topic);
  if (address !== undefined) return ok(address);
  return parseTopicSlowly(topic);
}

const TOPIC_PREFIX = `${TOPIC_ROOT}/`;

/**
 * The fast path for a valid topic (every message comes through here): indexOf and a character loop
 * instead of split, a template string and six regex tests. Returns undefined for anything else; the
 * slow path then finds and names the fault.
 */
function readWellFormedTopic(topic: string): TopicAddress | undefined {
  if (!topic.startsWith(TOPIC_PREFIX)) return undefined;
  const levels: string[] = [];
  let start = TOPIC_PREFIX.length;
  for (let slash = topic.indexOf('/', start); slash !== -1; slash = topic.indexOf('/', start)) {
    if (levels.length === 5) return undefined;
    levels.push(topic.slice(start, slash));
    start = slash + 1;
  }
  if (levels.length !== 5) return undefined;
  const [enterprise = '', site = '', area = '', line = '', cell = ''] = levels;
  const kind = topic.slice(start);
  if (!(isLevelName(enterprise) && isLevelName(site) && isLevelName(area) && isLevelName(line)))
    return undefined;
  if (cell === LINE_LEVEL_CELL) return isLineKind(kind) ? { enterprise, site, area, line, kind } : undefined;
  if (!isLevelName(cell) || !isCellKind(kind)) return undefined;
  return { enterprise, site, area, line, cell, kind };
}

/** `[a-z0-9][a-z0-9_-]{0,63}`, by a character loop: cheaper than a regex on these short names. */
function isLevelName(name: string): boolean {
  if (name.length < 1 || name.length > 64) return false;
  for (let index = 0; index < name.length; index++) {
    const unit = name.charCodeAt(index);
    const isLowerOrDigit = (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39);
    if (!isLowerOrDigit && (index === 0 || (unit !== 0x5f && unit !== 0x2d))) return false;
  }
  return true;
}

function parseTopicSlowly(topic: string): Result<TopicAddress> {
  const levels = topic.split('/');
  if (levels.length !== 8 || `${levels[0]}/${levels[1]}` !== TOPIC_ROOT) {
    return invalidTopic(
      [],
      `topic "${abbreviate(topic)}" does not follow ${TOPIC_ROOT}/<enterprise>/<site>/<area>/<line>/<cell>/<kind>`,
    );
  }
  const [, , enterprise = '', site = '', area = '', line = '', cell = '', kind = ''] = levels;
  const address: LineAddress = { enterprise, site, area, line };
  for (const level of LINE_LEVELS) {
    if (!isValidLevelName(address[level]))
      return invalidTopic([level], invalidLevelMessage(level, address[level]));
  }

  if (cell === LINE_LEVEL_CELL) {
    if (isLineKind(kind)) return ok({ ...address, kind });
    if (isCellKind(kind)) {
      return invalidTopic(['kind'], `"${kind}" is published by a cell, not under ${LINE_LEVEL_CELL}`);
    }
    return unknownKind(kind);
  }
  if (!isValidLevelName(cell)) return invalidTopic(['cell'], invalidLevelMessage('cell', cell));
  if (isCellKind(kind)) return ok({ ...address, cell, kind });
  if (isLineKind(kind)) {
    return invalidTopic(
      ['kind'],
      `"${kind}" is a line event: publish it to …/${line}/${LINE_LEVEL_CELL}/${kind}`,
    );
  }
  return unknownKind(kind);
}

function unknownKind(kind: string): Result<TopicAddress> {
  return fail({
    code: 'MEKONG_UNKNOWN_KIND',
    path: ['topic', 'kind'],
    message: `unknown kind "${abbreviate(kind)}": expected state, count, sensor, alarm, or labour under ${LINE_LEVEL_CELL}`,
  });
}

function invalidLevelMessage(level: string, name: string): string {
  return `${level} "${abbreviate(name)}" must be 1–64 characters of a–z, 0–9, "_" and "-", starting with a letter or digit`;
}

/** Builds the MQTT topic of an address. Throws `MekongError` (MEKONG_INVALID_TOPIC) on an invalid level name. */
export function formatTopic(address: TopicAddress): string {
  const levels = [address.enterprise, address.site, address.area, address.line];
  if ('cell' in address) levels.push(address.cell);
  for (const name of levels) {
    if (!isValidLevelName(name)) {
      throw new MekongError('MEKONG_INVALID_TOPIC', `level name "${abbreviate(String(name))}" is not valid`, {
        path: ['topic'],
      });
    }
  }
  if ('cell' in address ? !isCellKind(address.kind) : !isLineKind(address.kind)) {
    throw new MekongError(
      'MEKONG_UNKNOWN_KIND',
      `kind "${String(address.kind)}" does not belong at this level`,
      {
        path: ['topic', 'kind'],
      },
    );
  }
  const position = 'cell' in address ? address.cell : LINE_LEVEL_CELL;
  return `${TOPIC_ROOT}/${levels.slice(0, 4).join('/')}/${position}/${address.kind}`;
}

/** `<enterprise>/<site>/<area>/<line>`: the Kafka record key, so one line's events share a partition. */
export function linePath(address: LineAddress): string {
  return `${address.enterprise}/${address.site}/${address.area}/${address.line}`;
}

/** `<enterprise>/<site>/<area>/<line>/<cell>`. */
export function cellPath(address: CellAddress): string {
  return `${linePath(address)}/${address.cell}`;
}

// Keeps error messages readable when a client sends a huge topic.
function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
