/**
 * Pure rule: which timeline entries flag a customer as needing attention (shown in the 360 view).
 * Today: an open complaint of high or critical severity. Events only raise the flag; resolving the
 * last open serious complaint clears it (`shared/db/attention-store.ts`); `attentionSince` keeps
 * the first time it was raised.
 */
export const seriousSeverities: ReadonlySet<string> = new Set(['high', 'critical']);

export interface AttentionFlag {
  /** Short, PII-free reason, e.g. `critical complaint`. */
  reason: string;
  /** When the customer started needing attention (the entry's `occurredAt`). */
  since: string;
}

export interface AttentionCandidate {
  type: string;
  occurredAt: string;
  entry: Record<string, unknown>;
}

/** The flag an entry raises, or undefined when it raises none. */
export const attentionFor = (candidate: AttentionCandidate): AttentionFlag | undefined => {
  if (candidate.type !== 'complaint') return undefined;
  // A complaint recorded (or since) resolved needs no attention.
  if (candidate.entry.status === 'resolved') return undefined;
  const severity = candidate.entry.severity;
  if (typeof severity !== 'string' || !seriousSeverities.has(severity)) return undefined;
  return { reason: `${severity} complaint`, since: candidate.occurredAt };
};
