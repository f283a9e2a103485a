/**
 * `npm run token -- --role <role> [--sub <id>] [--ttl <seconds>]`
 * Prints a dev access token (and nothing else) for the local API:
 *   TOKEN=$(npm run -s token -- --role sales)
 *   curl -H "authorization: Bearer $TOKEN" http://localhost:3000/customers
 */
import { parseArgs } from 'node:util';
import { loadDevSecrets } from '#infra/local/dev-secrets';
import { mintToken } from '#infra/local/tokens';
import { isRole, roles } from '#shared/auth/roles';

const USAGE = `usage: npm run -s token -- --role <${roles.join('|')}> [--sub <id>] [--ttl <seconds>]`;

const fail = (message: string): never => {
  process.stderr.write(`token: ${message}\n${USAGE}\n`);
  process.exit(2);
};

const main = async (): Promise<void> => {
  let values: { role?: string; sub?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string', short: 'r' },
        sub: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const role = values.role;
  if (role === undefined) return fail('--role is required');
  if (!isRole(role)) return fail(`unknown role "${role}"; expected one of: ${roles.join(', ')}`);
  let ttlSeconds: number | undefined;
  if (values.ttl !== undefined) {
    ttlSeconds = Number(values.ttl);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
      return fail(`--ttl must be a positive integer, got "${values.ttl}"`);
  }
  if (values.sub !== undefined && values.sub.trim() === '') return fail('--sub must not be empty');

  const { keys } = await loadDevSecrets();
  const token = await mintToken({ role, sub: values.sub, ttlSeconds }, keys);
  process.stdout.write(`${token}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`token: ${(error as Error).message}\n`);
  process.exit(1);
});
