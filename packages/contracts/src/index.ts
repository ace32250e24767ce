export type { IssuePathSegment, MekongErrorCode, MekongIssue } from './errors.js';
export { isMekongErrorCode, MEKONG_ERROR_CODES, MekongError } from './errors.js';
export type { EventTime } from './event-time.js';
export { MAX_EVENT_TIME_MS, parseEventTime } from './event-time.js';
export { INFLUX_MEASUREMENTS, toInfluxPoints } from './influx-points.js';
export type {
  KafkaTopic,
  TelemetryKafkaTopic,
} from './kafka-topics.js';
export {
  ALL_KAFKA_TOPICS,
  DLQ_KAFKA_TOPIC,
  KAFKA_HEADERS,
  KPI_KAFKA_TOPIC,
  kafkaTopicFor,
  SCHEMA_VERSION,
  TELEMETRY_KAFKA_TOPICS,
  telemetryKindOfKafkaTopic,
} from './kafka-topics.js';
export type { CellKind, LineKind, TelemetryKind } from './kinds.js';
export { CELL_KINDS, isCellKind, isLineKind, isTelemetryKind, LINE_KINDS, TELEMETRY_KINDS } from './kinds.js';
export type { InfluxFieldValue, InfluxPoint } from './line-protocol.js';
export {
  formatLineProtocol,
  formatLineProtocolPoint,
  LINE_PROTOCOL_PRECISION,
  lineProtocolNameProblem,
  tagValueProblem,
} from './line-protocol.js';
export type { ParseMessageOptions } from './parse-message.js';
export { DEFAULT_MAX_PAYLOAD_BYTES, parseMessage } from './parse-message.js';
export type { AlarmPayload, AlarmPayloadInput, AlarmSeverity } from './payloads/alarm.js';
export { ALARM_SEVERITIES, alarmPayloadSchema } from './payloads/alarm.js';
export { MAX_ID_LENGTH, MAX_READINGS, MAX_TEXT_LENGTH, MAX_UNIT_LENGTH } from './payloads/common.js';
export type { CountPayload, CountPayloadInput } from './payloads/count.js';
export { countPayloadSchema } from './payloads/count.js';
export type { LabourEvent, LabourPayload, LabourPayloadInput } from './payloads/labour.js';
export { LABOUR_EVENTS, labourPayloadSchema } from './payloads/labour.js';
export type { SensorPayload, SensorPayloadInput, SensorReading } from './payloads/sensor.js';
export { sensorPayloadSchema, sensorReadingSchema } from './payloads/sensor.js';
export type { MachineState, StatePayload, StatePayloadInput } from './payloads/state.js';
export { MACHINE_STATES, statePayloadSchema } from './payloads/state.js';
export type { Result } from './result.js';
export type {
  AlarmMessage,
  CountMessage,
  LabourMessage,
  SensorMessage,
  StateMessage,
  TelemetryMessage,
} from './telemetry-message.js';
export type { CellAddress, CellTopicAddress, LineAddress, LineTopicAddress, TopicAddress } from './topic.js';
export {
  cellPath,
  formatTopic,
  isValidLevelName,
  LINE_LEVEL_CELL,
  linePath,
  parseTopic,
  TOPIC_ROOT,
} from './topic.js';
export { formatIssuePath } from './zod-issue.js';
