import { readFile } from 'node:fs/promises';
import { formatIssuePath } from '@mekong/contracts';
import { type MasterData, masterDataSchema } from '@mekong/kpi';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

/**
 * The master-data file (YAML, or JSON, which is YAML too) checked against the engine's schema. Every
 * problem names the file, the line and the field, e.g.
 * `master.yaml:4: products[0].idealCycleSeconds: expected number, got string "fast"`.
 */

type MasterDataIssue = NonNullable<ReturnType<typeof masterDataSchema.safeParse>['error']>['issues'][number];

export type MasterDataFileResult = { ok: true; master: MasterData } | { ok: false; problems: string[] };

export async function readMasterDataFile(file: string): Promise<MasterDataFileResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [`${file}: cannot read the master-data file (${errorText(error)})`] };
  }
  return masterDataFromYaml(text, file);
}

export function masterDataFromYaml(text: string, file: string): MasterDataFileResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map(
        (error) => `${file}:${lineCounter.linePos(error.pos[0]).line}: not valid YAML: ${error.message}`,
      ),
    };
  }
  const parsed = masterDataSchema.safeParse(document.toJS(), { reportInput: true });
  if (parsed.success) return { ok: true, master: parsed.data };
  const lineOf = (path: readonly PropertyKey[]) => {
    const offset = offsetOf(document.contents, path);
    return offset === undefined ? 1 : lineCounter.linePos(offset).line;
  };
  const problems = parsed.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        return `${file}:${lineOf(path)}: ${fieldName(path)}: unknown field (misspelt? \`mekong kpi schema\` lists the fields)`;
      });
    }
    return [`${file}:${lineOf(issue.path)}: ${fieldName(issue.path)}: ${describeIssue(issue)}`];
  });
  return { ok: false, problems };
}

/**
 * Where the field at `path` is written: the key of a mapping entry, the item of a list. A field that
 * is missing is reported at the nearest enclosing one that exists.
 */
function offsetOf(root: unknown, path: readonly PropertyKey[]): number | undefined {
  let node = root;
  let offset = rangeStart(root);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => scalarValue(item.key) === segment);
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function scalarValue(key: unknown): unknown {
  return typeof key === 'object' && key !== null && 'value' in key ? key.value : key;
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0
    ? '(file)'
    : formatIssuePath(path.map((segment) => (typeof segment === 'number' ? segment : String(segment))));
}

function describeIssue(issue: MasterDataIssue): string {
  const hasInput = 'input' in issue;
  const missing = hasInput && issue.input === undefined;
  if (issue.code === 'invalid_type') {
    if (missing) return `is missing (expected ${issue.expected})`;
    if (hasInput) {
      const quoteHint =
        issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean')
          ? ` (write it in quotes: "${String(issue.input)}")`
          : '';
      return `expected ${issue.expected}, got ${describeValue(issue.input)}${quoteHint}`;
    }
  }
  if (issue.code === 'invalid_value') {
    const expected = `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    if (missing) return `is missing (expected ${expected})`;
    return `must be ${expected}, got ${hasInput ? describeValue(issue.input) : 'something else'}`;
  }
  return issue.message;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null (empty)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function errorText(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return error.code === 'ENOENT' ? 'no such file' : `${error.code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
