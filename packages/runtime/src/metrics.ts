import { collectDefaultMetrics, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsSettings {
  /** Label added to every series, e.g. `{ service: 'broker' }`. */
  defaultLabels?: Record<string, string>;
  /** Process metrics (CPU, memory, event-loop lag); on by default. */
  processMetrics?: boolean;
}

/** A registry of its own per service instance, so two services in one process never clash. */
export function createMetricsRegistry(settings: MetricsSettings = {}): Registry {
  const registry = new Registry();
  if (settings.defaultLabels) registry.setDefaultLabels(settings.defaultLabels);
  if (settings.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'mekong_' });
  return registry;
}
