import { type GrammarFuzzOptions, runGrammarFuzz } from './grammar-loop.js';

/**
 * Runs the grammar fuzzer and writes its summary (JSON, stdout) and any failure with its seed, the
 * broker's last output and the last packets sent (stderr). True when the broker neither exited nor hung.
 */
export async function grammarFuzzAndReport(options: GrammarFuzzOptions): Promise<boolean> {
  process.stderr.write(`grammar fuzz: ${options.seconds} s with seed ${options.seed}\n`);
  const { failure, ...summary } = await runGrammarFuzz(options);
  process.stdout.write(`${JSON.stringify({ fuzzer: 'grammar', ...summary, failed: failure?.kind })}\n`);
  if (!failure) return true;
  process.stderr.write(
    [
      `grammar fuzz FAILED after ${failure.afterSeconds} s: ${failure.detail}`,
      `reproduce: pnpm --filter @mekong/broker fuzz:grammar ${options.seconds} ${options.seed}`,
      'broker output (last lines):',
      ...failure.brokerOutput.map((line) => `  ${line}`),
      `packets of the last batch (${failure.lastPackets.length}, oldest first):`,
      ...failure.lastPackets.map(
        (p) => `  session ${p.session} ${p.cmd}${p.byHand ? ' (hand-encoded)' : ''}: ${p.hex.slice(0, 400)}`,
      ),
      '',
    ].join('\n'),
  );
  return false;
}
