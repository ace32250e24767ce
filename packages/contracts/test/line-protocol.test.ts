import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MekongError } from '../src/errors.js';
import type { InfluxFieldValue, InfluxPoint } from '../src/line-protocol.js';
import {
  formatLineProtocol,
  formatLineProtocolPoint,
  LINE_PROTOCOL_PRECISION,
  lineProtocolNameProblem,
  tagValueProblem,
} from '../src/line-protocol.js';

// ---------------------------------------------------------------------------------------------------
// A small line-protocol reader, written from InfluxDB's documentation and its Go parser, not from the
// serializer. It reads a name in two dialects:
//  - 'documented': the v2 docs — `\` escapes , = space (tags, field keys) or , space (measurement), and
//    `\\` is one backslash; any other backslash is literal.
//  - 'influxdb-2': InfluxDB 1.x/2.x `models` package — unescapes only `\,` `\ ` (measurement),
//    `\,` `\=` `\ ` (tags) and `\,` `\"` `\=` `\ ` (field keys); `\\` stays two backslashes.
// A value the serializer accepts must read back identically in both.
// ---------------------------------------------------------------------------------------------------

type Dialect = 'documented' | 'influxdb-2';
type NameElement = 'measurement' | 'tag' | 'field key';

interface ReadPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, InfluxFieldValue>;
  timestamp: string;
}

const ESCAPED_BY: Record<Dialect, Record<NameElement, string>> = {
  documented: { measurement: ', \\', tag: ',= \\', 'field key': ',= \\' },
  'influxdb-2': { measurement: ', ', tag: ',= ', 'field key': ',"= ' },
};

function unescapeName(raw: string, element: NameElement, dialect: Dialect): string {
  const escapable = ESCAPED_BY[dialect][element];
  let out = '';
  for (let index = 0; index < raw.length; index++) {
    const character = raw[index] as string;
    const next = raw[index + 1];
    if (character === '\\' && next !== undefined && escapable.includes(next)) {
      out += next;
      index++;
    } else {
      out += character;
    }
  }
  return out;
}

function readLineProtocol(text: string, dialect: Dialect): ReadPoint[] {
  let position = 0;
  const fail = (why: string): never => {
    throw new Error(`line protocol unreadable at ${position}: ${why}\n${text}`);
  };
  // Reads up to (not including) an unescaped stop character; a backslash always takes the next
  // character with it, so an escaped stop character does not stop the scan.
  const scan = (stops: string): string => {
    const start = position;
    while (position < text.length && !stops.includes(text[position] as string)) {
      position += text[position] === '\\' ? 2 : 1;
    }
    if (position > text.length) fail('dangling backslash');
    return text.slice(start, position);
  };
  const expectCharacter = (character: string): void => {
    if (text[position] !== character) fail(`expected ${JSON.stringify(character)}`);
    position++;
  };
  const readStringField = (): string => {
    expectCharacter('"');
    let value = '';
    for (;;) {
      const character = text[position];
      if (character === undefined) return fail('unterminated string');
      if (character === '"') {
        position++;
        return value;
      }
      const next = text[position + 1];
      if (character === '\\' && (next === '\\' || next === '"')) {
        value += next;
        position += 2;
      } else {
        value += character;
        position++;
      }
    }
  };
  const readFieldValue = (): InfluxFieldValue => {
    if (text[position] === '"') return { type: 'string', value: readStringField() };
    const raw = scan(', \n');
    if (/^-?\d+i$/.test(raw)) return { type: 'integer', value: Number(raw.slice(0, -1)) };
    if (/^(t|T|true|True|TRUE)$/.test(raw)) return { type: 'boolean', value: true };
    if (/^(f|F|false|False|FALSE)$/.test(raw)) return { type: 'boolean', value: false };
    if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) return { type: 'float', value: Number(raw) };
    return fail(`not a field value: ${raw}`);
  };

  const points: ReadPoint[] = [];
  while (position < text.length) {
    if (points.length > 0) expectCharacter('\n');
    const measurement = unescapeName(scan(', \n'), 'measurement', dialect);
    const tags: Record<string, string> = {};
    while (text[position] === ',') {
      position++;
      const key = unescapeName(scan('=, \n'), 'tag', dialect);
      expectCharacter('=');
      const value = unescapeName(scan(',= \n'), 'tag', dialect);
      // InfluxDB refuses an unescaped "=" in a tag value ("invalid tag format").
      if (text[position] === '=') fail('unescaped = in a tag value');
      if (key === '' || value === '') fail('empty tag key or value');
      tags[key] = value;
    }
    expectCharacter(' ');
    const fields: Record<string, InfluxFieldValue> = {};
    do {
      if (Object.keys(fields).length > 0) expectCharacter(',');
      const key = unescapeName(scan('=, \n'), 'field key', dialect);
      expectCharacter('=');
      fields[key] = readFieldValue();
    } while (text[position] === ',');
    expectCharacter(' ');
    const timestamp = scan('\n');
    if (!/^-?\d+$/.test(timestamp)) fail(`not a timestamp: ${timestamp}`);
    points.push({ measurement, tags, fields, timestamp });
  }
  return points;
}

/** Reads with both dialects, insists they agree, and returns the one reading. */
function readBack(text: string): ReadPoint[] {
  const documented = readLineProtocol(text, 'documented');
  expect(readLineProtocol(text, 'influxdb-2')).toEqual(documented);
  return documented;
}

// --- What the spec says can be carried, written here independently of the serializer ---------------

// Unicode general category Cc: U+0000–U+001F and U+007F–U+009F.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Non-empty, no control characters or lone surrogates, every backslash followed by an ordinary character. */
function representableName(text: string): boolean {
  if (text === '' || CONTROL.test(text) || LONE_SURROGATE.test(text)) return false;
  return !/\\($|[\\,= "])/.test(text);
}

// --- Generators -----------------------------------------------------------------------------------

const trickyCharacter = fc.constantFrom(
  ' ',
  ',',
  '=',
  '"',
  '\\',
  "'",
  'a',
  'Z',
  '7',
  '-',
  '_',
  '#',
  '\n',
  '\t',
  '\r',
  'ạ',
  'ư',
  'ố',
  'ề',
  'Đ',
  'đ',
  'ễ',
  '🚀',
  '\ud800',
  '\u0085',
  '\u00a0',
);
const trickyText = fc.oneof(
  fc.string({ unit: trickyCharacter, maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constant('Dây chuyền số 1, xưởng "A"=B'),
);
// Backslashes only where they can be carried, so that the round trip is exercised with them.
const carriableText = fc
  .array(
    fc.oneof(
      fc.constantFrom(' ', ',', '=', '"', 'a', 'ạ', 'ư', 'Đ', '🚀', "'", '#', '_'),
      fc.constantFrom('\\a', '\\ư', '\\n', '\\t', '\\🚀', "\\'"),
    ),
    { minLength: 1, maxLength: 16 },
  )
  .map((parts) => parts.join(''));
const anyStringFieldValue = fc.oneof(
  fc.string({ unit: trickyCharacter, maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);

const integerField = (value: number): InfluxFieldValue => ({ type: 'integer', value });
const point = (overrides: Partial<InfluxPoint>): InfluxPoint => ({
  measurement: 'm',
  tags: {},
  fields: { f: integerField(1) },
  timestampMs: 0,
  ...overrides,
});

function expectRefused(run: () => unknown, path?: (string | number)[]): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MekongError);
    expect((error as MekongError).code).toBe('MEKONG_INVALID_LINE_PROTOCOL');
    if (path !== undefined) expect((error as MekongError).path).toEqual(path);
    return;
  }
  throw new Error('expected MEKONG_INVALID_LINE_PROTOCOL');
}

describe('formatLineProtocolPoint — escaping per the line-protocol spec', () => {
  const vietnamese = 'Dây chuyền số 1, xưởng "A"=B';

  it('escapes commas and spaces in a measurement, but not equals signs or quotes', () => {
    expect(formatLineProtocolPoint(point({ measurement: vietnamese }))).toBe(
      'Dây\\ chuyền\\ số\\ 1\\,\\ xưởng\\ "A"=B f=1i 0',
    );
  });

  it('escapes commas, equals signs and spaces in tag keys, tag values and field keys', () => {
    const line = formatLineProtocolPoint(
      point({ tags: { 'dây chuyền': vietnamese }, fields: { 'số, =': integerField(2) } }),
    );
    expect(line).toBe('m,dây\\ chuyền=Dây\\ chuyền\\ số\\ 1\\,\\ xưởng\\ "A"\\=B số\\,\\ \\==2i 0');
  });

  it('double-quotes string field values, escaping only double quotes and backslashes', () => {
    const line = formatLineProtocolPoint(
      point({ fields: { note: { type: 'string', value: `${vietnamese} \\ end` } } }),
    );
    expect(line).toBe('m note="Dây chuyền số 1, xưởng \\"A\\"=B \\\\ end" 0');
  });

  it('writes a backslash before an ordinary character as it is', () => {
    expect(formatLineProtocolPoint(point({ tags: { path: 'C:\\data' } }))).toBe('m,path=C:\\data f=1i 0');
  });

  it('keeps a newline inside a string field value, where it is quoted', () => {
    const text = 'line 1\nline 2';
    const line = formatLineProtocolPoint(point({ fields: { text: { type: 'string', value: text } } }));
    expect(line).toBe('m text="line 1\nline 2" 0');
    expect(readBack(line)[0]?.fields.text).toEqual({ type: 'string', value: text });
  });
});

describe('formatLineProtocolPoint — value types', () => {
  it('writes integers with an i suffix, floats without, booleans as true/false', () => {
    const line = formatLineProtocolPoint(
      point({
        fields: {
          i: integerField(-42),
          f: { type: 'float', value: 3 },
          g: { type: 'float', value: -0.5 },
          big: { type: 'float', value: 1e21 },
          yes: { type: 'boolean', value: true },
          no: { type: 'boolean', value: false },
        },
      }),
    );
    expect(line).toBe('m i=-42i,f=3,g=-0.5,big=1e+21,yes=true,no=false 0');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'refuses the float %s',
    (value) => {
      expectRefused(
        () => formatLineProtocolPoint(point({ fields: { v: { type: 'float', value } } })),
        ['fields', 'v'],
      );
    },
  );

  it.each([1.5, Number.NaN, 2 ** 53])('refuses the integer %s', (value) => {
    expectRefused(
      () => formatLineProtocolPoint(point({ fields: { v: integerField(value) } })),
      ['fields', 'v'],
    );
  });

  it('writes the timestamp in milliseconds, the documented precision', () => {
    expect(LINE_PROTOCOL_PRECISION).toBe('ms');
    expect(formatLineProtocolPoint(point({ timestampMs: 1_772_406_900_000 }))).toBe('m f=1i 1772406900000');
  });

  it.each([1.5, Number.NaN, 9_223_372_036_855])('refuses the timestamp %s', (timestampMs) => {
    expectRefused(() => formatLineProtocolPoint(point({ timestampMs })), ['timestampMs']);
  });

  it('refuses a string field longer than 64 KB of UTF-8', () => {
    const value = 'ư'.repeat(32 * 1024 + 1); // two bytes each
    expectRefused(
      () => formatLineProtocolPoint(point({ fields: { v: { type: 'string', value } } })),
      ['fields', 'v'],
    );
  });
});

describe('formatLineProtocolPoint — what InfluxDB cannot take', () => {
  it('omits a tag whose value is empty, as InfluxDB requires', () => {
    expect(formatLineProtocolPoint(point({ tags: { a: '', b: 'x' } }))).toBe('m,b=x f=1i 0');
  });

  it('sorts tags by key', () => {
    expect(formatLineProtocolPoint(point({ tags: { site: 's', area: 'a', ư: 'u', z: 'z' } }))).toBe(
      'm,area=a,site=s,z=z,ư=u f=1i 0',
    );
  });

  it('sorts tag keys by code point (UTF-8 byte order), not by UTF-16 unit, and a prefix first', () => {
    // U+FF01 sorts before U+1F600, whose first UTF-16 unit (0xD83D) is smaller than 0xFF01.
    expect(formatLineProtocolPoint(point({ tags: { '😀': 'e', '！': 'f', ab: 'b', a: 'a' } }))).toBe(
      'm,a=a,ab=b,！=f,😀=e f=1i 0',
    );
  });

  it('refuses a point without fields', () => {
    expectRefused(() => formatLineProtocolPoint(point({ fields: {} })), ['fields']);
  });

  it.each([
    ['a newline in a tag key', point({ tags: { 'a\nb': 'x' } }), ['tags', 'a\nb']],
    ['a newline in a tag value', point({ tags: { t: 'a\nb' } }), ['tags', 't']],
    ['a newline in a field key', point({ fields: { 'a\nb': integerField(1) } }), ['fields', 'a\nb']],
    ['a newline in a measurement', point({ measurement: 'a\nb' }), ['measurement']],
    ['a carriage return in a tag value', point({ tags: { t: 'a\rb' } }), ['tags', 't']],
    ['a tab in a field key', point({ fields: { 'a\tb': integerField(1) } }), ['fields', 'a\tb']],
    ['an empty measurement', point({ measurement: '' }), ['measurement']],
    ['an empty field key', point({ fields: { '': integerField(1) } }), ['fields', '']],
    ['a measurement starting with _', point({ measurement: '_m' }), ['measurement']],
    ['a tag key starting with _', point({ tags: { _field: 'x' } }), ['tags', '_field']],
    ['a field key starting with _', point({ fields: { _value: integerField(1) } }), ['fields', '_value']],
    ['the field key time', point({ fields: { time: integerField(1) } }), ['fields', 'time']],
    ['a measurement starting with # (a comment line)', point({ measurement: '#m' }), ['measurement']],
    ['a tag value ending with a backslash', point({ tags: { t: 'C:\\' } }), ['tags', 't']],
    ['a backslash before a comma', point({ tags: { t: 'a\\,b' } }), ['tags', 't']],
    ['two backslashes', point({ measurement: 'a\\\\b' }), ['measurement']],
    ['a lone surrogate in a tag value', point({ tags: { t: '\ud800' } }), ['tags', 't']],
    [
      'a lone surrogate in a string field',
      point({ fields: { s: { type: 'string', value: 'x\udc00' } } }),
      ['fields', 's'],
    ],
  ])('refuses %s', (_what, refused, path) => {
    expectRefused(() => formatLineProtocolPoint(refused), path);
  });
});

describe('formatLineProtocol', () => {
  it('joins points with newlines and formats nothing as the empty string', () => {
    expect(formatLineProtocol([])).toBe('');
    expect(formatLineProtocol([point({ measurement: 'a' }), point({ measurement: 'b' })])).toBe(
      'a f=1i 0\nb f=1i 0',
    );
  });
});

describe('line-protocol round trip (property)', () => {
  it('a tag value is carried unchanged, or refused when the spec cannot carry it', () => {
    fc.assert(
      fc.property(trickyText, (value) => {
        const candidate = point({ tags: { t: value } });
        if (value === '') {
          expect(readBack(formatLineProtocolPoint(candidate))[0]?.tags).toEqual({});
        } else if (representableName(value)) {
          expect(readBack(formatLineProtocolPoint(candidate))[0]?.tags).toEqual({ t: value });
        } else {
          expectRefused(() => formatLineProtocolPoint(candidate), ['tags', 't']);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('measurements, tag keys, tag values and field keys with carriable backslashes read back unchanged', () => {
    fc.assert(
      fc.property(
        carriableText,
        carriableText,
        carriableText,
        carriableText,
        (measurement, key, value, fieldKey) => {
          fc.pre(
            !/^[_#]/.test(measurement) &&
              !key.startsWith('_') &&
              !fieldKey.startsWith('_') &&
              fieldKey !== 'time',
          );
          const written = point({
            measurement,
            tags: { [key]: value },
            fields: { [fieldKey]: integerField(7) },
          });
          expect(readBack(formatLineProtocolPoint(written))).toEqual([
            { measurement, tags: { [key]: value }, fields: { [fieldKey]: integerField(7) }, timestamp: '0' },
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a measurement or field key is carried unchanged, or refused', () => {
    fc.assert(
      fc.property(trickyText, (name) => {
        const asMeasurement = point({ measurement: name });
        if (representableName(name) && !/^[_#]/.test(name)) {
          expect(readBack(formatLineProtocolPoint(asMeasurement))[0]?.measurement).toBe(name);
        } else {
          expectRefused(() => formatLineProtocolPoint(asMeasurement), ['measurement']);
        }
        const asFieldKey = point({ fields: { [name]: integerField(1) } });
        if (representableName(name) && !name.startsWith('_') && name !== 'time') {
          expect(Object.keys(readBack(formatLineProtocolPoint(asFieldKey))[0]?.fields ?? {})).toEqual([name]);
        } else {
          expectRefused(() => formatLineProtocolPoint(asFieldKey), ['fields', name]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('any string field value without lone surrogates is carried unchanged', () => {
    fc.assert(
      fc.property(anyStringFieldValue, (value) => {
        const written = point({ fields: { s: { type: 'string', value } } });
        if (LONE_SURROGATE.test(value)) {
          expectRefused(() => formatLineProtocolPoint(written), ['fields', 's']);
        } else {
          expect(readBack(formatLineProtocolPoint(written))[0]?.fields.s).toEqual({ type: 'string', value });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('finite floats and safe integers are carried exactly', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.maxSafeInteger(),
        (float, integer) => {
          const written = point({ fields: { f: { type: 'float', value: float }, i: integerField(integer) } });
          const [read] = readBack(formatLineProtocolPoint(written));
          expect(read?.fields).toEqual({ f: { type: 'float', value: float }, i: integerField(integer) });
          expect(Object.is((read?.fields.f as { value: number } | undefined)?.value, float)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('several points with tricky strings read back as the same points', () => {
    const arbitraryPoint = fc.record({
      measurement: carriableText.filter((text) => !/^[_#]/.test(text)),
      tags: fc.dictionary(
        carriableText.filter((text) => !text.startsWith('_')),
        carriableText,
        { maxKeys: 4 },
      ),
      text: anyStringFieldValue.filter((text) => !LONE_SURROGATE.test(text)),
      timestampMs: fc.integer({ min: 0, max: 9_223_372_036_854 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryPoint, { maxLength: 5 }), (generated) => {
        const points: InfluxPoint[] = generated.map((g) => ({
          measurement: g.measurement,
          tags: g.tags,
          fields: { text: { type: 'string', value: g.text } },
          timestampMs: g.timestampMs,
        }));
        const read = points.length === 0 ? [] : readBack(formatLineProtocol(points));
        expect(read).toEqual(
          points.map((p) => ({
            measurement: p.measurement,
            tags: p.tags,
            fields: p.fields,
            timestamp: String(p.timestampMs),
          })),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('lineProtocolNameProblem / tagValueProblem', () => {
  it('accepts ordinary names and explains refusals', () => {
    expect(tagValueProblem('press-1')).toBeUndefined();
    expect(tagValueProblem('Nhiệt độ, trục "A"=B')).toBeUndefined();
    expect(tagValueProblem('C:\\')).toMatch(/backslash/);
    expect(lineProtocolNameProblem('_m', 'measurement')).toMatch(/_/);
    expect(lineProtocolNameProblem('_m', 'tag value')).toBeUndefined();
  });
});
