/** Small zod building blocks shared by every area's schemas. */
import * as z from 'zod';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const Id = z.string().regex(ULID, 'must be a ULID (26 characters, Crockford base32)').meta({
  description: 'ULID identifier',
  example: '01JD8X3Q9Z7N6M5K4H3G2F1E0D',
});

export const IsoDateTime = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .meta({
    description: 'ISO-8601 date-time; stored and returned in UTC',
    example: '2026-11-23T09:30:00.000Z',
  });

export const Timezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Berlin')
  .meta({ example: 'Europe/Berlin' });

export const Locale = z
  .string()
  .max(35)
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'must be a BCP 47 language tag such as de-DE')
  .meta({ example: 'de-DE' });

export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'tags are 1-50 characters: letters, digits, "-" and "_"');

export const Tags = z
  .array(Tag)
  .max(50)
  .refine((tags) => new Set(tags).size === tags.length, 'tags must be unique');

export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as EUR')
  .meta({ example: 'EUR' });

/** Touch points an interaction can come through. */
export const channels = [
  'web',
  'email',
  'phone',
  'sms',
  'chat',
  'social',
  'in_person',
  'store',
  'mobile_app',
  'partner',
  'event',
  'api',
  'other',
] as const;
export const Channel = z.enum(channels);

/** List query: `?limit=` (1-200, default 50) and an opaque `?cursor=`. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(4096).optional(),
});

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `?cursor=` for the next page; null on the last page' }),
    })
    .meta({ id });
