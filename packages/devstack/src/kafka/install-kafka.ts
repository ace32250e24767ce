import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstallContext } from '../install-context.js';
import { withInstallLock } from '../install-lock.js';
import { runStep } from '../run-step.js';

export const KAFKA_VERSION = '4.1.1';
/** Kafka 4.1 logs through SLF4J 1.7; this binding routes it to log4j2 (log4j-core comes with Kafka). */
const LOG4J_VERSION = '2.24.3';

export interface KafkaInstall {
  version: string;
  /** Folder holding every runtime jar; the JVM classpath is `<libDir>/*`. */
  libDir: string;
}

function pom(): string {
  const dependency = (group: string, artifact: string, version: string) =>
    `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.mekong</groupId><artifactId>kafka-runtime</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    ${dependency('org.apache.kafka', 'kafka_2.13', KAFKA_VERSION)}
    ${dependency('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

/**
 * Fetches Apache Kafka's jars and their runtime dependencies from Maven Central with Maven, once,
 * into `<cache>/kafka/<version>/lib`. A marker written last makes the next call a no-op.
 */
export async function installKafka(ctx: InstallContext): Promise<KafkaInstall> {
  const dir = join(ctx.cacheRoot, 'kafka', KAFKA_VERSION);
  const install: KafkaInstall = { version: KAFKA_VERSION, libDir: join(dir, 'lib') };
  const marker = join(dir, '.installed');
  if (existsSync(marker)) return install;
  return withInstallLock(dir, ctx.progress, async () => {
    if (existsSync(marker)) return install;
    ctx.progress(`installing Apache Kafka ${KAFKA_VERSION} from Maven Central into ${dir}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'pom.xml'), pom());
    await runStep({
      step: `download Apache Kafka ${KAFKA_VERSION} jars with Maven`,
      command: 'mvn',
      args: [
        '-B',
        '-f',
        join(dir, 'pom.xml'),
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${install.libDir}`,
      ],
      logFile: join(dir, 'install.log'),
      progress: ctx.progress,
      hint: 'check that Maven (mvn) and Java 17+ are installed and that Maven Central is reachable',
    });
    const jars = (await readdir(install.libDir)).filter((name) => name.endsWith('.jar'));
    ctx.progress(`Apache Kafka ${KAFKA_VERSION}: ${jars.length} jars in ${install.libDir}`);
    await writeFile(marker, new Date().toISOString());
    return install;
  });
}
