import { PASSWORD } from '../../test/helpers/broker-fixture.js';
import { startBrokerProcess } from './broker-process.js';
import { answersPing } from './probe.js';
import { runSession, type SentPacket } from './session.js';

export interface GrammarFuzzOptions {
  seconds: number;
  seed: number;
  /** Sessions in flight at once. */
  parallel?: number;
  /** How long a fresh client may take to get its PINGRESP before the broker counts as hung. */
  hangMs?: number;
  /** Environment of the broker process on top of the fuzzer's own. */
  env?: Record<string, string>;
}

export interface GrammarFuzzResult {
  seed: number;
  sessions: number;
  packets: number;
  /** Packets mqtt-packet would not encode, written by hand. */
  handEncoded: number;
  byType: Record<string, number>;
  /** CONNACK reason codes by user, of the sessions that waited for theirs: 0 = authenticated. */
  connacks: Record<string, number>;
  probes: number;
  /** Connections the broker closed for a fault of its own: it survived them, but each is a bug. */
  connectionFaults: number;
  faultKinds: string[];
  seconds: number;
  failure?: {
    kind: 'exit' | 'hang';
    detail: string;
    afterSeconds: number;
    /** The packets of the batch in flight when the broker failed, hex-encoded, last ones last. */
    lastPackets: SentPacket[];
    brokerOutput: string[];
  };
}

/**
 * Runs MQTT 5 sessions of generated, well-formed packets against a broker in a child process for
 * `seconds`, in batches of `parallel` sessions; after each batch the broker process must still run and
 * answer a fresh client's PINGREQ within `hangMs`. The first exit or hang ends the run.
 */
export async function runGrammarFuzz(options: GrammarFuzzOptions): Promise<GrammarFuzzResult> {
  const parallel = options.parallel ?? 10;
  const hangMs = options.hangMs ?? 5_000;
  const broker = await startBrokerProcess(options.env);
  const started = Date.now();
  const end = started + options.seconds * 1000;
  const result: GrammarFuzzResult = {
    seed: options.seed,
    sessions: 0,
    packets: 0,
    handEncoded: 0,
    byType: {},
    connacks: {},
    probes: 0,
    connectionFaults: 0,
    faultKinds: [],
    seconds: 0,
  };
  let batch: SentPacket[] = [];
  const onSent = (packet: SentPacket) => {
    batch.push(packet);
    result.packets++;
    if (packet.byHand) result.handEncoded++;
    const key = packet.byHand ? `${packet.cmd} (by hand)` : packet.cmd;
    result.byType[key] = (result.byType[key] ?? 0) + 1;
  };
  const onConnack = (username: string, code: number) => {
    const key = `${username} 0x${code.toString(16).padStart(2, '0')}`;
    result.connacks[key] = (result.connacks[key] ?? 0) + 1;
  };
  try {
    while (Date.now() < end) {
      batch = [];
      const sessions = Array.from({ length: parallel }, () => result.sessions++);
      await Promise.all(
        sessions.map((session) =>
          runSession({
            port: broker.port,
            password: PASSWORD,
            seed: options.seed + session,
            session,
            onSent,
            onConnack,
          }),
        ),
      );
      result.probes++;
      const answered = broker.exited === undefined && (await answersPing(broker.port, PASSWORD, hangMs));
      if (!answered) {
        // A process that dies just after failing the probe is an exit, not a hang.
        if (broker.exited === undefined) await new Promise((resolve) => setTimeout(resolve, 500));
        result.failure = {
          kind: broker.exited === undefined ? 'hang' : 'exit',
          detail:
            broker.exited === undefined
              ? `no PINGRESP to a fresh client within ${hangMs} ms`
              : `the broker process ended: ${broker.exited}`,
          afterSeconds: (Date.now() - started) / 1000,
          lastPackets: batch,
          brokerOutput: broker.tail(),
        };
        break;
      }
    }
  } finally {
    result.connectionFaults = broker.faults;
    result.faultKinds = [...broker.faultKinds];
    result.seconds = (Date.now() - started) / 1000;
    await broker.stop();
  }
  return result;
}
