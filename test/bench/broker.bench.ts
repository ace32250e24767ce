// The MQTT broker against Debian's Mosquitto, same load generator, same run:
// `pnpm exec tsx test/bench/broker.bench.ts` (BENCH_SECONDS, BENCH_RUNS, BENCH_PUBLISHER_PROCESSES,
// BENCH_PUBLISHERS_PER_PROCESS adjust it). The implementation lives beside the broker, whose
// dependencies (mqtt) it uses.
import { runBrokerBench } from '../../services/broker/bench/run-bench.js';

await runBrokerBench();
process.exit(0);
