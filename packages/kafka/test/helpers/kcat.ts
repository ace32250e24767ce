import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Every record of a topic read with kcat (librdkafka, an independent client), as `key\tpartition\tvalue`. */
export async function readWithKcat(
  brokers: string[],
  topic: string,
  isolation: 'read_committed' | 'read_uncommitted' = 'read_committed',
): Promise<Array<{ key: string; partition: number; value: string }>> {
  const { stdout } = await execFileAsync(
    'kcat',
    [
      ...['-b', brokers.join(','), '-C', '-t', topic, '-o', 'beginning', '-e', '-q'],
      ...['-X', `isolation.level=${isolation}`, '-f', '%k\\t%p\\t%s\\n'],
    ],
    { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [key = '', partition = '', value = ''] = line.split('\t');
      return { key, partition: Number(partition), value };
    });
}

/** Produces `key\tvalue` lines with kcat, keys partitioned by librdkafka's `murmur2_random` (Java's choice). */
export async function produceWithKcat(brokers: string[], topic: string, lines: string[]): Promise<void> {
  const kcat = spawn(
    'kcat',
    ['-b', brokers.join(','), '-P', '-t', topic, '-K', '\t', '-X', 'partitioner=murmur2_random'],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  kcat.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  kcat.stdin.end(`${lines.join('\n')}\n`);
  const exitCode = await new Promise<number | null>((resolve) => kcat.on('close', resolve));
  if (exitCode !== 0) throw new Error(`kcat exited with ${exitCode}: ${stderr}`);
}
