/** What the guard reads of a consumer: its group generation and the partitions assigned to it. */
export interface OwnershipView {
  generationId: number;
  assignments: { topic: string; partitions: number[] }[] | null;
}

/** A record's place, and the consumer generation in which it was delivered. */
export interface DeliveredRecord {
  topic: string;
  partition: number;
  commit(): unknown;
}

/**
 * Commits a record's offset only while its partition is still this member's, in the generation that
 * delivered it. @platformatic/kafka commits with the consumer's current generation, and the classic
 * group protocol does not check partition ownership: a commit for a record fetched before a rebalance,
 * sent after it, would move the new owner's committed offset — measured: a record committed by the old
 * owner was delivered again to the new one. Skipped commits leave the records to the new owner, which
 * reads them from the group's committed offset (at least once, never "committed, then read again").
 * Resolves to whether the commit was made.
 */
export async function commitIfStillOwned(
  consumer: OwnershipView,
  record: DeliveredRecord,
  deliveredInGeneration: number,
): Promise<boolean> {
  if (!ownsNow(consumer, record, deliveredInGeneration)) return false;
  await record.commit();
  return true;
}

function ownsNow(consumer: OwnershipView, record: DeliveredRecord, generation: number): boolean {
  if (consumer.generationId !== generation) return false;
  return (consumer.assignments ?? []).some(
    (a) => a.topic === record.topic && a.partitions.includes(record.partition),
  );
}
