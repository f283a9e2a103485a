import { existsSync, readFileSync } from 'node:fs';

/**
 * A file the system function serves: next to the bundle in AWS (CDK copies it beside
 * `index.mjs`, see `RelayFunction`'s `assets`), next to these modules when running from source
 * (local cloud, tests) — or at `elsewhere` when that is given and nothing is beside.
 */
export const readBundledFile = (file: string, elsewhere?: URL | string): string => {
  const beside = new URL(`./${file}`, import.meta.url);
  if (existsSync(beside) || elsewhere === undefined) return readFileSync(beside, 'utf8');
  return readFileSync(elsewhere, 'utf8');
};
