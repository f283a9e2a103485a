/**
 * Opaque, encrypted pagination cursors. A cursor is `v1.<keyId>.<iv>.<ciphertext + tag>` (each
 * part base64url): `[issuedAtSeconds, position]` as JSON, sealed with AES-256-GCM under the key
 * `keyId` of the cursor key ring, with the version, the key id and the query scope as additional
 * data. Nothing of the position is readable, and a cursor cannot be edited, forged, replayed
 * against another list, used after `CURSOR_MAX_AGE_MS`, or decoded with a key the ring no longer
 * holds. Any defect → the 400 `invalid_cursor`.
 *
 * The ring (docs/adr/0015-cursor-keys.md) holds the current key, which seals new cursors, and
 * during a rotation the previous one, which still opens the cursors it sealed. Its material comes
 * from AWS Secrets Manager (`shared/aws/cursor-keys.ts`); each key is derived from its material
 * with HKDF-SHA256 bound to its id, so two ids never share an AES key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ValidationError } from '#shared/errors';

const invalid = (): ValidationError =>
  new ValidationError('The cursor is invalid, expired or belongs to another query. Start again without it.', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor', code: 'invalid_cursor' }],
  });

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Longer cursors are refused before any work (a page's cursor is a few hundred characters). */
const MAX_CURSOR_LENGTH = 8_192;
/** Key ids travel in the cursor: base64url characters only, so no dot can split them. */
export const CURSOR_KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Least material per key: a 32-byte random value in base64 is 43–44 characters. */
export const MIN_KEY_MATERIAL_LENGTH = 43;
/**
 * How long a cursor stays valid after it was issued. It bounds a key rotation: a previous key
 * can leave the ring this long after the new one became current (docs/adr/0015-cursor-keys.md).
 */
export const CURSOR_MAX_AGE_MS = 24 * 60 * 60_000;
/** Clock skew tolerated between the function that issued a cursor and the one that reads it. */
const MAX_SKEW_MS = 5 * 60_000;

/** The keys a function seals and opens cursors with. */
export interface CursorKeyRing {
  /** Seals every new cursor. */
  readonly currentKeyId: string;
  /** AES-256 keys by id, the current one included. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Where a store gets its ring: resolved before each listing (cached by the provider). */
export type CursorKeys = () => Promise<CursorKeyRing>;

/** The AES-256 key of one ring entry: HKDF-SHA256 over the material, bound to the key id. */
const deriveKey = (id: string, material: string): Buffer =>
  Buffer.from(hkdfSync('sha256', Buffer.from(material, 'utf8'), 'relay/cursor-keys', `${VERSION}:${id}`, 32));

/**
 * Builds a ring from key material by id. Throws (a configuration error, never a 400) when the
 * current id is missing, an id is malformed or a material is too short.
 */
export const cursorKeyRing = (
  currentKeyId: string,
  materials: Readonly<Record<string, string>>,
): CursorKeyRing => {
  const keys = new Map<string, Buffer>();
  for (const [id, material] of Object.entries(materials)) {
    if (!CURSOR_KEY_ID.test(id)) throw new Error(`cursor key id "${id}" must be 1-64 base64url characters`);
    if (typeof material !== 'string' || material.length < MIN_KEY_MATERIAL_LENGTH || /\s/.test(material)) {
      throw new Error(
        `cursor key "${id}" must be at least ${MIN_KEY_MATERIAL_LENGTH} characters without spaces (e.g. 32 random bytes in base64)`,
      );
    }
    keys.set(id, deriveKey(id, material));
  }
  if (!keys.has(currentKeyId)) throw new Error(`the current cursor key "${currentKeyId}" is not in the ring`);
  return { currentKeyId, keys };
};

/** A provider that always answers the same ring (tests, and wiring that holds the ring already). */
export const staticCursorKeys =
  (ring: CursorKeyRing): CursorKeys =>
  () =>
    Promise.resolve(ring);

const additionalData = (keyId: string, scope: string): Buffer =>
  Buffer.from(`${VERSION}.${keyId}\n${scope}`, 'utf8');

/** Canonical base64url only: the spare bits of a last character would give one value two spellings. */
export const base64urlPart = (text: string): Buffer | undefined => {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
};

export const encodeCursor = (
  ring: CursorKeyRing,
  scope: string,
  payload: unknown,
  now: number = Date.now(),
): string => {
  const keyId = ring.currentKeyId;
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`the current cursor key "${keyId}" is not in the ring`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(additionalData(keyId, scope));
  const sealed = Buffer.concat([
    cipher.update(JSON.stringify([Math.floor(now / 1000), payload ?? null]), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return [VERSION, keyId, iv.toString('base64url'), sealed.toString('base64url')].join('.');
};

/** Returns the payload, or throws a 400 ValidationError for anything but an untouched, current cursor. */
export const decodeCursor = (
  ring: CursorKeyRing,
  scope: string,
  cursor: string,
  now: number = Date.now(),
): unknown => {
  if (cursor.length > MAX_CURSOR_LENGTH) throw invalid();
  const parts = cursor.split('.');
  if (parts.length !== 4) throw invalid();
  const [version, keyId, ivText, sealedText] = parts as [string, string, string, string];
  if (version !== VERSION || !CURSOR_KEY_ID.test(keyId)) throw invalid();
  const key = ring.keys.get(keyId);
  const iv = base64urlPart(ivText);
  const sealed = base64urlPart(sealedText);
  if (!key || iv?.length !== IV_BYTES || !sealed || sealed.length <= TAG_BYTES) throw invalid();
  let plaintext: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(additionalData(keyId, scope));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    plaintext = Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw invalid();
  }
  let sealedValue: unknown;
  try {
    sealedValue = JSON.parse(plaintext);
  } catch {
    throw invalid();
  }
  if (!Array.isArray(sealedValue) || sealedValue.length !== 2 || !Number.isInteger(sealedValue[0]))
    throw invalid();
  const issuedAt = (sealedValue[0] as number) * 1000;
  if (now - issuedAt > CURSOR_MAX_AGE_MS || issuedAt - now > MAX_SKEW_MS) throw invalid();
  return sealedValue[1];
};

export { invalid as invalidCursorError };

/**
 * The cursor keys of a store whose function may not list: a store built without them fails on
 * its first listing (a wiring bug), not at construction (so sweepers and workflow tasks need none).
 */
export const lazyCursorKeys =
  (cursorKeys: CursorKeys | undefined): CursorKeys =>
  () =>
    cursorKeys ? cursorKeys() : Promise.reject(new Error('This function has no cursor keys in its wiring'));
