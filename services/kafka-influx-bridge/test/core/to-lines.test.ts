import { describe, expect, it } from 'vitest';
import { toLines } from '../../src/core/to-lines.js';

const cellTopic = 'mekong/v1/acme/hcm/assembly/line-1/press-1';
const max = 64 * 1024;

describe('toLines', () => {
  it('turns a count record into one line of the production measurement, timestamp in ms', () => {
    const value = Buffer.from('{"ts":1772406900000,"seq":42,"good":12,"scrap":1,"product":"bracket-a"}');
    expect(toLines('mekong.count.v1', value, `${cellTopic}/count`, max)).toEqual({
      ok: true,
      lines: [
        'production,area=assembly,cell=press-1,enterprise=acme,line=line-1,site=hcm good=12i,scrap=1i,product="bracket-a",seq=42i 1772406900000',
      ],
    });
  });

  it('turns a sensor record into one line per reading', () => {
    const value = Buffer.from(
      '{"ts":1772406900000,"seq":7,"readings":[{"name":"temp","value":61.5,"unit":"Cel"},{"name":"power","value":3,"unit":"kW"}]}',
    );
    const mapped = toLines('mekong.sensor.v1', value, `${cellTopic}/sensor`, max);
    expect(mapped.ok && mapped.lines).toHaveLength(2);
  });

  it.each([
    [
      'no MQTT topic header',
      'mekong.count.v1',
      '{}',
      undefined,
      'MEKONG_INVALID_TOPIC',
      ['headers', 'mekong-mqtt-topic'],
    ],
    [
      'an invalid payload',
      'mekong.count.v1',
      '{"ts":1,"seq":1}',
      `${cellTopic}/count`,
      'MEKONG_INVALID_PAYLOAD',
      ['good'],
    ],
    [
      'a kind on the wrong topic',
      'mekong.state.v1',
      '{"ts":1,"seq":1,"good":1,"scrap":0,"product":"p"}',
      `${cellTopic}/count`,
      'MEKONG_INVALID_TOPIC',
      ['topic', 'kind'],
    ],
    ['no value', 'mekong.count.v1', null, `${cellTopic}/count`, 'MEKONG_INVALID_PAYLOAD', []],
  ])('refuses a record with %s', (_name, kafkaTopic, value, mqttTopic, code, path) => {
    const mapped = toLines(kafkaTopic, value === null ? null : Buffer.from(value), mqttTopic, max);
    expect(mapped).toMatchObject({ ok: false, issue: { code, path } });
  });
});
