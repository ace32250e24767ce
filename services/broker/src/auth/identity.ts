export const roles = ['device', 'service', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who a connected client is and what it may do; fixed at CONNECT. */
export interface Identity {
  username: string;
  /** `anonymous` only exists when the development flag allows anonymous clients. */
  role: Role | 'anonymous';
  /** A device's cell: `<enterprise>/<site>/<area>/<line>/<cell>`. */
  cell?: string;
  /** A device that may publish its line's `_line/labour` events. */
  labour: boolean;
  /** Topic filters a service may publish to. */
  publish: readonly string[];
  /** Topic filters a service may subscribe to (a subscription must lie within one of them). */
  subscribe: readonly string[];
  source: 'credentials' | 'jwt' | 'anonymous';
}

/** What services may do when their credentials name no topics themselves. */
export interface ServiceDefaults {
  publish: readonly string[];
  subscribe: readonly string[];
}
