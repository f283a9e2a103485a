/**
 * Webhook signatures, exported for integrators as well as used by the delivery task. Pure: no I/O.
 *
 *   Relay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${body}`)>
 *
 * The timestamp is part of the signed message, so a receiver that rejects timestamps outside its
 * tolerance (default 300 s) also rejects replays of an old delivery. Several `v1=` entries may be
 * present (e.g. during a secret rotation); the signature is valid when any of them matches.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Relay-Signature';
export const EVENT_ID_HEADER = 'Relay-Event-Id';
export const EVENT_TYPE_HEADER = 'Relay-Event-Type';
export const DELIVERY_ID_HEADER = 'Relay-Delivery-Id';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 of `${timestamp}.${body}` with `secret`. */
export const computeSignature = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

/** The `Relay-Signature` header value for `body` sent at `timestamp` (unix seconds). */
export const signPayload = (secret: string, body: string, timestamp: number): string =>
  `t=${timestamp},v1=${computeSignature(secret, timestamp, body)}`;

export interface ParsedSignature {
  timestamp: number;
  signatures: string[];
}

/** Parses `t=…,v1=…[,v1=…]`; `undefined` when malformed (unknown schemes are ignored). */
export const parseSignatureHeader = (header: string): ParsedSignature | undefined => {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) return undefined;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return undefined;
      signatures.push(value);
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
};

export interface VerifyOptions {
  /** Largest accepted distance between the signed timestamp and `now`, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The receiver's clock (default: now). */
  now?: Date;
}

/**
 * True when `header` carries a `v1` HMAC of `body` under `secret` whose timestamp is within the
 * tolerance of `now` (neither stale nor in the future). MACs are compared in constant time.
 * `body` must be the raw request body, byte for byte as received (not re-serialised JSON).
 */
export const verifySignature = (
  secret: string,
  header: string | undefined,
  body: string,
  options: VerifyOptions = {},
): boolean => {
  if (!header) return false;
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - parsed.timestamp) > tolerance) return false;
  const expected = Buffer.from(computeSignature(secret, parsed.timestamp, body), 'hex');
  let valid = false;
  for (const signature of parsed.signatures) {
    // Every candidate is compared (no early exit), each comparison in constant time.
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) valid = true;
  }
  return valid;
};

/** The headers of one delivery attempt (signature computed now, over exactly `body`). */
export const deliveryHeaders = (
  secret: string,
  body: string,
  meta: { eventId: string; eventType: string; deliveryId: string; timestamp: number },
): Record<string, string> => ({
  'content-type': 'application/json',
  'user-agent': 'Relay-Webhooks/1',
  [SIGNATURE_HEADER]: signPayload(secret, body, meta.timestamp),
  [EVENT_ID_HEADER]: meta.eventId,
  [EVENT_TYPE_HEADER]: meta.eventType,
  [DELIVERY_ID_HEADER]: meta.deliveryId,
});

/** The encryption context that binds a sealed signing secret to its subscription. */
export const secretContextOf = (webhookId: string): { webhookId: string } => ({ webhookId });
