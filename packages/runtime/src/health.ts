export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface ComponentHealth {
  status: HealthStatus;
  /** What a person needs to act: "Redis unreachable since 12:03", counts, addresses. */
  detail?: Record<string, unknown> | string;
}

export interface HealthReport {
  status: HealthStatus;
  components: Record<string, ComponentHealth>;
}

export type HealthCheck = () => ComponentHealth | Promise<ComponentHealth>;

const rank: Record<HealthStatus, number> = { ok: 0, degraded: 1, down: 2 };

/**
 * The worst status wins. A component marked non-critical can only degrade the service: when it is
 * down the service still runs, with less.
 */
export function overallStatus(
  components: Record<string, ComponentHealth>,
  critical: ReadonlySet<string> = new Set(Object.keys(components)),
): HealthStatus {
  let worst: HealthStatus = 'ok';
  for (const [name, component] of Object.entries(components)) {
    const status = !critical.has(name) && component.status === 'down' ? 'degraded' : component.status;
    if (rank[status] > rank[worst]) worst = status;
  }
  return worst;
}

/** Runs every check (a failing check reports its component down) and sums them up. */
export async function checkHealth(
  checks: Record<string, HealthCheck>,
  critical?: ReadonlySet<string>,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, ComponentHealth]> => {
      try {
        return [name, await check()];
      } catch (error) {
        return [name, { status: 'down', detail: error instanceof Error ? error.message : String(error) }];
      }
    }),
  );
  const components = Object.fromEntries(entries);
  return { status: overallStatus(components, critical), components };
}
