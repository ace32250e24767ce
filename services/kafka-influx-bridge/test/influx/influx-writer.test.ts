import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteError } from '../../src/core/write-batcher.js';
import { createInfluxWriter } from '../../src/influx/influx-writer.js';

let server: Server;
let port: number;
const requests: Array<{ url: string; body: string; authorization: string | undefined }> = [];
let answer: { status: number; body?: string; headers?: Record<string, string> } = { status: 204 };

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests.push({ url: request.url ?? '', body, authorization: request.headers.authorization });
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const writer = () =>
  createInfluxWriter({
    url: `http://127.0.0.1:${port}`,
    token: 'tok',
    org: 'mekong',
    bucket: 'mekong',
    timeoutMs: 2_000,
    gzipThresholdBytes: 0,
  });

async function failureOf(promise: Promise<void>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WriteError) return error.failure;
    throw error;
  }
  throw new Error('the write succeeded');
}

describe('createInfluxWriter', () => {
  it('posts the lines to /api/v2/write with org, bucket, precision ms and the token', async () => {
    answer = { status: 204 };
    await writer()(['m f=1i 1', 'm f=2i 2']);
    expect(requests.at(-1)).toEqual({
      url: '/api/v2/write?org=mekong&bucket=mekong&precision=ms',
      body: 'm f=1i 1\nm f=2i 2',
      authorization: 'Token tok',
    });
  });

  it.each([
    [400, 'rejected'],
    [422, 'rejected'],
    [413, 'too-large'],
    [401, 'unavailable'],
    [404, 'unavailable'],
    [500, 'unavailable'],
  ])('classifies HTTP %i as %s, with InfluxDB’s message', async (status, kind) => {
    answer = { status, body: JSON.stringify({ code: 'x', message: `influx says ${status}` }) };
    const failure = await failureOf(writer()(['m f=1i 1']));
    expect(failure.kind).toBe(kind);
    expect(failure.reason).toContain(`influx says ${status}`);
  });

  it('honours Retry-After on 503', async () => {
    answer = { status: 503, body: '{"message":"busy"}', headers: { 'retry-after': '3' } };
    expect(await failureOf(writer()(['m f=1i 1']))).toMatchObject({
      kind: 'unavailable',
      retryAfterMs: 3_000,
    });
  });

  it('reports an unreachable InfluxDB as unavailable', async () => {
    const unreachable = createInfluxWriter({
      url: 'http://127.0.0.1:1',
      token: 't',
      org: 'o',
      bucket: 'b',
      timeoutMs: 1_000,
      gzipThresholdBytes: 0,
    });
    expect(await failureOf(unreachable(['m f=1i 1']))).toMatchObject({ kind: 'unavailable' });
  });
});
