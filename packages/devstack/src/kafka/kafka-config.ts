export interface KafkaPorts {
  /** Client listener. */
  port: number;
  /** KRaft controller listener. */
  controllerPort: number;
}

/**
 * server.properties for one combined broker+controller in KRaft mode, sized for a 2-core machine.
 * The listeners bind every interface on both IPv4 and IPv6 (an empty host), and clients are told to
 * come back on `localhost`, which resolves to either.
 */
export function kafkaServerProperties(ports: KafkaPorts, logDir: string): string {
  const entries: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@localhost:${ports.controllerPort}`,
    listeners: `PLAINTEXT://:${ports.port},CONTROLLER://:${ports.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://localhost:${ports.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': logDir,
    'num.partitions': 3,
    'num.network.threads': 2,
    'num.io.threads': 2,
    'background.threads': 2,
    'num.recovery.threads.per.data.dir': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 3,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': 'true',
    'log.retention.hours': 168,
  };
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/** log4j2 configuration in the properties format, which needs no YAML or JSON library on the classpath. */
export function kafkaLog4j2Properties(logFile: string): string {
  return [
    'status = warn',
    'appender.file.type = RollingFile',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile}`,
    `appender.file.filePattern = ${logFile}.%i`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.file.policies.type = Policies',
    'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size = 20MB',
    'appender.file.strategy.type = DefaultRolloverStrategy',
    'appender.file.strategy.max = 3',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = file',
    'logger.kafka.name = kafka',
    'logger.kafka.level = info',
    'logger.apache.name = org.apache',
    'logger.apache.level = warn',
    '',
  ].join('\n');
}
