/**
 * What the code under test writes to stdout and stderr (Powertools logs go there), captured
 * instead of printed: each chunk is appended to `into`. Undone by `vi.restoreAllMocks()`.
 */
import { vi } from 'vitest';

export const captureProcessOutput = (into: string[]): void => {
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      into.push(String(chunk));
      return true;
    });
  }
};
