/**
 * The Powertools logger, one per container. Relay logs request metadata only (route, status,
 * latency, caller id, correlation id): never bodies, query strings, headers or error details that
 * could carry names, emails or phone numbers. `redact` is the last line of defence for any object
 * that does get logged.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'relay' });

const PII_KEYS =
  /^(e-?mail|emails|primaryEmail|address|phone|phones|number|firstName|lastName|name|body|notes|description|comment|answers|subject|summary|authorization|cookie|token)$/i;
const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}/g;
const PHONE = /\+?\d[\d\s().-]{6,}\d/g;

/** Deep copy with PII-bearing keys masked and email/phone patterns scrubbed from strings. */
export const redact = (value: unknown, depth = 0): unknown => {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return value.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, PII_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)]),
    );
  }
  return value;
};
