import type { SimMessage } from './sim-message.js';

/** A publisher in the discrete-event loop: it knows when it next acts and what it then sends. */
export interface Source {
  /** Simulated epoch ms of the next step; Infinity when finished. */
  nextAt: number;
  /** Acts at `nextAt`, appending the messages it sends (maybe none) in order. */
  step(out: SimMessage[]): void;
}
