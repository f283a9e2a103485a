/** Rules every versioned record follows: optimistic locking and PATCH field semantics. */
import { PreconditionFailedError } from '#shared/errors';

/** 412 unless the caller read the version that is stored now. */
export const assertVersion = (what: string, current: { version: number }, expected: number): void => {
  if (current.version !== expected) {
    throw new PreconditionFailedError(
      `The ${what} is at version ${current.version}, not ${expected}; fetch it again and retry with the new version.`,
    );
  }
};

/** PATCH semantics for an optional field: `null` clears it, absent keeps it, a value replaces it. */
export const patched = <T>(value: T | null | undefined, current: T | undefined): T | undefined =>
  value === null ? undefined : value === undefined ? current : value;

/** 412 for a write whose version condition failed: someone changed the record since it was read. */
export const changedConcurrently = (what: string): PreconditionFailedError =>
  new PreconditionFailedError(
    `The ${what} changed after it was read; fetch the current version and retry with it.`,
  );
