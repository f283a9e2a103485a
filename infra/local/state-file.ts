/**
 * The local cloud's state files (`.relay/`: the dev signing keys, the local KMS key, the local
 * Secrets Manager's secrets), written one way: owner-only (0600), never half-written, and safe
 * when several processes (a test run's workers, `npm start` beside `npm test`) start at once.
 */

import { randomUUID } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A private file beside `file`, for writing before it takes the real name. */
const scratchOf = (file: string, text: string): string => {
  mkdirSync(dirname(file), { recursive: true });
  const scratch = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(scratch, text, { mode: 0o600 });
  chmodSync(scratch, 0o600); // whatever the umask
  return scratch;
};

/**
 * Creates `file` with `text` unless it exists: the file appears whole (written aside, then
 * hard-linked into place), and of two processes racing, exactly one creates it. `false` means
 * another one was first: read theirs.
 */
export const createStateFile = (file: string, text: string): boolean => {
  const scratch = scratchOf(file, text);
  try {
    linkSync(scratch, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(scratch);
  }
};

/** Replaces `file` with `text` at once (written aside, then renamed over it). */
export const replaceStateFile = (file: string, text: string): void => {
  renameSync(scratchOf(file, text), file);
};
