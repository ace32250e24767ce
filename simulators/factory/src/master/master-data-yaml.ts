import { stringify } from 'yaml';
import type { Scenario } from '../scenario/schema.js';
import type { MasterDataOptions } from './master-data-of.js';
import { masterDataOf } from './master-data-of.js';

/**
 * The master data of a scenario as the YAML file `mekong kpi --master` reads. Every text value is
 * quoted, so times ("06:00") and dates ("2026-04-30") stay text for any YAML reader.
 */
export function masterDataYaml(scenario: Scenario, options: MasterDataOptions = {}): string {
  const master = masterDataOf(scenario, options);
  const scale = options.scale === undefined || options.scale === 1 ? '' : ` --scale ${options.scale}`;
  const site = options.site === undefined ? '' : ` --site ${options.site}`;
  const header = [
    `# KPI master data of scenario "${scenario.name}" (mekong sim master${scale}${site}), for mekong kpi --master.`,
    '# Derived from the scenario: ideal cycle times, θ, shift calendars, lines (bottleneck, output cell, roster).',
    '# Fields: `mekong kpi schema` (JSON Schema) and packages/kpi/README.md.',
  ];
  const body = stringify(master, {
    defaultStringType: 'QUOTE_DOUBLE',
    defaultKeyType: 'PLAIN',
    lineWidth: 0,
  });
  return `${header.join('\n')}\n${body}`;
}
