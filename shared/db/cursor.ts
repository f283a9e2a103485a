/**
 * Opaque, signed pagination cursors. A cursor is `base64url(json).base64url(hmac)`; the HMAC
 * (SHA-256, keyed with CURSOR_SECRET) covers the payload AND the query scope it was issued for,
 * so a cursor cannot be edited, forged, or replayed against another list. Any defect → 400.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '#shared/errors';

const invalid = (): ValidationError =>
  new ValidationError('The cursor is invalid, expired or belongs to another query. Start again without it.', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor', code: 'invalid_cursor' }],
  });

const sign = (secret: string, scope: string, body: string): Buffer =>
  createHmac('sha256', secret).update(scope).update('\n').update(body).digest();

export const encodeCursor = (secret: string, scope: string, payload: unknown): string => {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(secret, scope, body).toString('base64url')}`;
};

/** Returns the payload, or throws a 400 ValidationError for anything but an untouched cursor. */
export const decodeCursor = (secret: string, scope: string, cursor: string): unknown => {
  const parts = cursor.split('.');
  if (parts.length !== 2) throw invalid();
  const [body, mac] = parts as [string, string];
  if (!/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]+$/.test(mac)) throw invalid();
  const expected = sign(secret, scope, body);
  const given = Buffer.from(mac, 'base64url');
  // Only the canonical encoding: base64url ignores the 2 spare bits of the last MAC character.
  if (given.toString('base64url') !== mac) throw invalid();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
};

export { invalid as invalidCursorError };

/**
 * The cursor key of a store whose function may not list: a store built without one fails on its
 * first listing (a wiring bug), not at construction (so sweepers and workflow tasks need none).
 */
export const lazyCursorSecret = (cursorSecret: string | undefined) => (): string => {
  if (cursorSecret === undefined) throw new Error('This function has no cursorSecret in its config');
  return cursorSecret;
};
