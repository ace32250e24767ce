/**
 * Sockets that have not sent CONNECT yet cost the broker memory and a file descriptor but prove
 * nothing about their owner. Each address may hold `perAddress` of them and all together `total`,
 * so one attacker cannot use up the budget that every device needs to reconnect.
 */
export class PendingBudget {
  private readonly byAddress = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly perAddress: number,
    private readonly total: number,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Takes a slot for a new socket from `address`; false when its address or everyone is at the limit. */
  admit(address: string): boolean {
    const held = this.byAddress.get(address) ?? 0;
    if (held >= this.perAddress || this.count >= this.total) return false;
    this.byAddress.set(address, held + 1);
    this.count++;
    return true;
  }

  /** Gives back the slot of a socket that sent CONNECT or went away. */
  release(address: string): void {
    const held = this.byAddress.get(address);
    if (held === undefined) return;
    if (held > 1) this.byAddress.set(address, held - 1);
    else this.byAddress.delete(address);
    this.count--;
  }
}
