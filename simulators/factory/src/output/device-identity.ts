/** What a device presents to the broker. */
export interface DeviceIdentity {
  clientId: string;
  username: string | undefined;
  password: string | undefined;
}

export interface IdentityTemplates {
  /** e.g. `mekong-sim-{site}-{area}-{line}-{cell}` */
  clientId: string;
  /** Shared (`sim`) or per device (`{site}.{line}.{cell}`); undefined: no username. */
  username: string | undefined;
  password: string | undefined;
  /** Explicit per-device credentials by path `<site>/<area>/<line>/<cell>`, winning over the templates. */
  credentials: Record<string, { username: string; password: string }> | undefined;
}

/**
 * Fills `{enterprise}`, `{site}`, `{area}`, `{line}`, `{cell}` (`_line` for a line's labour terminal),
 * `{path}` (levels joined by "/") into the templates for one device.
 */
export function identityOf(enterprise: string, path: string, templates: IdentityTemplates): DeviceIdentity {
  const [site = '', area = '', line = '', cell = ''] = path.split('/');
  const values: Record<string, string> = { enterprise, site, area, line, cell, path };
  const fill = (template: string) =>
    template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  const explicit = templates.credentials?.[path];
  return {
    clientId: fill(templates.clientId),
    username: explicit?.username ?? (templates.username === undefined ? undefined : fill(templates.username)),
    password: explicit?.password ?? (templates.password === undefined ? undefined : fill(templates.password)),
  };
}
