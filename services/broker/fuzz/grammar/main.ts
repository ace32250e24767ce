// `pnpm --filter @mekong/broker fuzz:grammar [seconds] [seed]`: the grammar fuzzer alone, e.g. to
// repeat a failed run with its printed seed. Exits 1 when the broker process exited or hung.
import { grammarFuzzAndReport } from './report.js';

const seconds = Number(process.argv[2] ?? 60);
const seed = Number(process.argv[3] ?? Date.now() % 0x1_0000_0000);
process.exit((await grammarFuzzAndReport({ seconds, seed })) ? 0 : 1);
