import { HttpError, InfluxDB } from '@influxdata/influxdb-client';
import { LINE_PROTOCOL_PRECISION } from '@mekong/contracts';
import { errorMessage } from '@mekong/runtime';
import { WriteError, type WriteLines } from '../core/write-batcher.js';

export interface InfluxWriterSettings {
  url: string;
  token: string;
  org: string;
  bucket: string;
  timeoutMs: number;
  /** Request bodies from this many bytes on are sent gzip-compressed (0 = never). */
  gzipThresholdBytes: number;
}

/**
 * One write request per call through @influxdata/influxdb-client's transport (`POST /api/v2/write`,
 * precision ms). The client's WriteApi is not used: it buffers and retries on its own, and the bridge
 * must know for each request whether InfluxDB accepted it before it commits the Kafka offsets.
 */
export function createInfluxWriter(settings: InfluxWriterSettings): WriteLines {
  const influx = new InfluxDB({ url: settings.url, token: settings.token, timeout: settings.timeoutMs });
  const query = new URLSearchParams({
    org: settings.org,
    bucket: settings.bucket,
    precision: LINE_PROTOCOL_PRECISION,
  });
  const path = `/api/v2/write?${query}`;
  const options = {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8', accept: 'application/json' },
    ...(settings.gzipThresholdBytes > 0 ? { gzipThreshold: settings.gzipThresholdBytes } : {}),
  };
  return async (lines) => {
    try {
      await influx.transport.request(path, lines.join('\n'), options);
    } catch (error) {
      throw new WriteError(classify(error, settings));
    }
  };
}

function classify(error: unknown, settings: InfluxWriterSettings): WriteError['failure'] {
  if (!(error instanceof HttpError)) {
    return { kind: 'unavailable', reason: `InfluxDB at ${settings.url} unreachable: ${errorMessage(error)}` };
  }
  const reason = influxMessage(error);
  switch (error.statusCode) {
    case 400:
    case 422:
      return { kind: 'rejected', status: error.statusCode, reason };
    case 413:
      return { kind: 'too-large', status: 413, reason };
    case 401:
    case 403:
      return {
        kind: 'unavailable',
        reason: `InfluxDB refused the token (${error.statusCode}: ${reason}); check MEKONG_INFLUX_TOKEN`,
      };
    case 404:
      return {
        kind: 'unavailable',
        reason: `InfluxDB has no org "${settings.org}" or bucket "${settings.bucket}" (${reason}); check MEKONG_INFLUX_ORG and MEKONG_INFLUX_BUCKET`,
      };
    default: {
      // Retry-After in seconds (HttpError.retryAfter() hands back the header's number as it is).
      const retryAfterMs = error.retryAfter() * 1000;
      return {
        kind: 'unavailable',
        reason: `InfluxDB answered ${error.statusCode}: ${reason}`,
        ...(retryAfterMs > 0 ? { retryAfterMs } : {}),
      };
    }
  }
}

function influxMessage(error: HttpError): string {
  const json = error.json as { message?: unknown } | undefined;
  if (json && typeof json.message === 'string') return json.message;
  return error.body || error.message;
}
