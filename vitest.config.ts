import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const integrationTests = '**/*.integration.test.ts';

/** One unit-test project per workspace folder that has a test/ directory. */
function unitProjects() {
  const roots = ['packages', 'services', 'simulators'];
  return roots.flatMap((root) =>
    existsSync(root)
      ? readdirSync(root, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(`${root}/${entry.name}/test`))
          .map((entry) => ({
            extends: true as const,
            test: {
              name: entry.name,
              root: `${root}/${entry.name}`,
              include: ['test/**/*.test.ts'],
              exclude: [integrationTests],
            },
          }))
      : [],
  );
}

export default defineConfig({
  test: {
    projects: [
      ...unitProjects(),
      {
        extends: true,
        test: {
          name: 'cross',
          root: 'test',
          include: ['**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          // Integration tests share one devstack (real Kafka, InfluxDB) started once per run;
          // some of them kill and restart its processes, so they run one file at a time.
          name: 'integration',
          include: [integrationTests],
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/devstack/src/vitest-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
