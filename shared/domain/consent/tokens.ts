/**
 * Signed links for the public consent routes: one-click unsubscribe (RFC 8058), the preference
 * page and the double opt-in confirmation. A token binds a purpose, a customer, a subscription
 * type and an expiry, and is MACed with HMAC-SHA256 under a key derived (HKDF, its own label) from
 * the stage's key ring (the cursor key secret, ADR 0015): a rotated ring still opens the tokens of
 * every key it keeps. Tokens carry ids only, never an address.
 *
 * Format: `c1.<keyId>.<payload base64url>.<mac base64url>`, payload `[purpose, customerId, type, exp]`.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { base64urlPart as base64url, type CursorKeyRing } from '#shared/db/cursor';
import { ValidationError } from '#shared/errors';

const VERSION = 'c1';
const MAX_TOKEN_LENGTH = 1024;

export const tokenPurposes = ['unsubscribe', 'preferences', 'confirm'] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

export interface ConsentTokenClaims {
  purpose: TokenPurpose;
  customerId: string;
  /** The subscription type the link is about; `*` for the preference page (all types). */
  type: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

/** How long links in a marketing email stay valid (RFC 8058 asks for a link that keeps working). */
export const UNSUBSCRIBE_TOKEN_DAYS = 90;
/** How long a double opt-in confirmation link stays valid. */
export const CONFIRM_TOKEN_DAYS = 7;

const macKey = (ringKey: Buffer, keyId: string): Buffer =>
  Buffer.from(hkdfSync('sha256', ringKey, 'relay/consent-tokens', `${VERSION}:${keyId}`, 32));

const mac = (key: Buffer, keyId: string, payload: string): Buffer =>
  createHmac('sha256', key).update(`${VERSION}.${keyId}.${payload}`).digest();

export const signConsentToken = (ring: CursorKeyRing, claims: ConsentTokenClaims): string => {
  const keyId = ring.currentKeyId;
  const ringKey = ring.keys.get(keyId);
  if (!ringKey) throw new Error(`the current key "${keyId}" is not in the ring`);
  const payload = Buffer.from(
    JSON.stringify([claims.purpose, claims.customerId, claims.type, claims.exp]),
    'utf8',
  ).toString('base64url');
  return [VERSION, keyId, payload, mac(macKey(ringKey, keyId), keyId, payload).toString('base64url')].join(
    '.',
  );
};

const invalid = (message = 'The link is not valid.') =>
  new ValidationError(message, {
    errors: [{ path: 'query.token', message: 'invalid or expired token', code: 'invalid_token' }],
  });

/**
 * The claims of an untouched, unexpired token of `purpose`; anything else is a 400 (tampered,
 * truncated, another purpose, an unknown key or past its expiry), never a 500.
 */
export const verifyConsentToken = (
  ring: CursorKeyRing,
  token: string,
  purpose: TokenPurpose,
  now: number = Date.now(),
): ConsentTokenClaims => {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid();
  const parts = token.split('.');
  if (parts.length !== 4) throw invalid();
  const [version, keyId, payloadText, macText] = parts as [string, string, string, string];
  const ringKey = ring.keys.get(keyId);
  const given = base64url(macText);
  if (version !== VERSION || !ringKey || !given || !base64url(payloadText)) throw invalid();
  const expected = mac(macKey(ringKey, keyId), keyId, payloadText);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payloadText, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(claims) ||
    claims.length !== 4 ||
    typeof claims[0] !== 'string' ||
    typeof claims[1] !== 'string' ||
    typeof claims[2] !== 'string' ||
    !Number.isInteger(claims[3])
  )
    throw invalid();
  const [tokenPurpose, customerId, type, exp] = claims as [string, string, string, number];
  if (tokenPurpose !== purpose) throw invalid();
  if (exp * 1000 <= now) throw invalid('The link has expired.');
  return { purpose, customerId, type, exp };
};

/** Expiry `days` from `now`, epoch seconds. */
export const expiryIn = (days: number, now: number = Date.now()): number =>
  Math.floor(now / 1000) + days * 86_400;
