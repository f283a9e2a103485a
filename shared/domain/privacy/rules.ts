/**
 * How an item type's personal data is erased and exported. Each capability declares the rule of
 * every item type it writes in its data module (`shared/capabilities/<name>/data.ts`); the
 * registry (`./registry.ts`) collects them.
 */
export type ErasureRule =
  /** On the customer's partition `CUS#<id>`: deleted with the partition, page by page. */
  | { kind: 'customerPartition' }
  /** A unique-value guard pointing at the customer (`customerId`): deleted conditionally. */
  | { kind: 'guard' }
  /** A link item on another record's partition (company ↔ contact): unlinked with its counter. */
  | { kind: 'link' }
  /**
   * Found by a bounded Query with a filter (e.g. idempotency records on 8 partitions that live 24 h
   * and may echo a customer's record in the stored response).
   */
  | { kind: 'filteredQuery' }
  /** Kept: the tombstone itself, the non-identifying proof that a purge or erasure happened. */
  | { kind: 'proof' }
  /** Holds no personal data of a customer (why is stated in `reason`). */
  | { kind: 'none'; reason: string };

export interface RegisteredItem {
  description: string;
  erasure: ErasureRule;
  /** Section of `GET /customers/{id}/export` the item appears in (customer data only). */
  exportSection?: string;
}
