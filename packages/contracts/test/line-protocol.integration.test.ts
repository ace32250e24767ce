import { randomUUID } from 'node:crypto';
import { InfluxDB } from '@influxdata/influxdb-client';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { formatLineProtocol, type InfluxPoint, lineProtocolNameProblem } from '../src/line-protocol.js';

const endpoint = inject('devstack').influxdb;
const queryApi = new InfluxDB({ url: endpoint.url, token: endpoint.token }).getQueryApi(endpoint.org);
const BASE_MS = Date.UTC(2026, 2, 2, 6, 0, 0);

/** Characters that line protocol must escape, Vietnamese text, and ordinary ones. */
const hardText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ' ',
        ',',
        '=',
        '"',
        "'",
        '\\',
        'ắ',
        'Đ',
        'ư',
        'ờ',
        'ng',
        'Dây chuyền',
        'xưởng',
        '€',
        '😀',
      ),
      fc.string({ minLength: 1, maxLength: 3 }),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(''));

const nameOf = (element: Parameters<typeof lineProtocolNameProblem>[1]) =>
  hardText.filter((text) => lineProtocolNameProblem(text, element) === undefined);

async function writeLines(body: string): Promise<void> {
  const url = `${endpoint.url}/api/v2/write?org=${encodeURIComponent(endpoint.org)}&bucket=${encodeURIComponent(endpoint.bucket)}&precision=ms`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Token ${endpoint.token}`, 'Content-Type': 'text/plain; charset=utf-8' },
    body,
  });
  if (response.status !== 204) throw new Error(`write answered ${response.status}: ${await response.text()}`);
}

interface Row {
  _measurement: string;
  _field: string;
  _value: unknown;
  _time: string;
  [tag: string]: unknown;
}

describe('line protocol against the real InfluxDB', () => {
  it('survives spaces, commas, quotes, equals signs, backslashes and Vietnamese text in every name', async () => {
    await fc.assert(
      fc.asyncProperty(
        nameOf('measurement'),
        nameOf('tag key').filter((key) => key !== 'run'),
        nameOf('tag value'),
        nameOf('field key'),
        hardText,
        async (measurement, tagKey, tagValue, fieldKey, stringValue) => {
          // One key used twice (as tag and field, or field twice) is a different question.
          fc.pre(fieldKey !== 'n' && fieldKey !== tagKey && fieldKey !== 'run');
          const run = randomUUID();
          const point: InfluxPoint = {
            measurement,
            tags: { run, [tagKey]: tagValue },
            fields: { [fieldKey]: { type: 'string', value: stringValue }, n: { type: 'integer', value: 42 } },
            timestampMs: BASE_MS,
          };
          await writeLines(formatLineProtocol([point]));
          const rows = await queryApi.collectRows<Row>(
            `from(bucket: "${endpoint.bucket}") |> range(start: 2026-03-01T00:00:00Z, stop: 2026-03-03T00:00:00Z) |> filter(fn: (r) => r.run == "${run}")`,
          );
          expect(rows).toHaveLength(2);
          for (const row of rows) {
            expect(row._measurement).toBe(measurement);
            expect(row[tagKey]).toBe(tagValue);
            expect(Date.parse(row._time)).toBe(BASE_MS);
          }
          const fields = Object.fromEntries(rows.map((row) => [row._field, row._value]));
          expect(fields).toEqual({ [fieldKey]: stringValue, n: 42 });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps a newline inside an alarm text field', async () => {
    const run = randomUUID();
    const text = 'Hết phôi\ndòng 2, "quan trọng"';
    await writeLines(
      formatLineProtocol([
        {
          measurement: 'alarm',
          tags: { run },
          fields: { text: { type: 'string', value: text } },
          timestampMs: BASE_MS + 1,
        },
      ]),
    );
    // Flux's CSV output writes a newline inside a value as CRLF, so the query spells newlines out.
    const rows = await queryApi.collectRows<Row>(
      `import "strings"
      from(bucket: "${endpoint.bucket}") |> range(start: 2026-03-01T00:00:00Z, stop: 2026-03-03T00:00:00Z)
        |> filter(fn: (r) => r.run == "${run}")
        |> map(fn: (r) => ({ r with _value: strings.replaceAll(v: r._value, t: "\\n", u: "<LF>") }))`,
    );
    expect(rows.map((row) => row._value)).toEqual([text.replaceAll('\n', '<LF>')]);
  });
});
