/** Small zod building blocks shared by every area's schemas. */
import '#shared/zod-locale';
import * as z from 'zod/mini';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const Id = z
  .string()
  .check(z.regex(ULID, 'must be a ULID (26 characters, Crockford base32)'))
  .register(z.globalRegistry, {
    description: 'ULID identifier',
    example: '01JD8X3Q9Z7N6M5K4H3G2F1E0D',
  });

export const IsoDateTime = z
  .pipe(
    z.iso.datetime({ offset: true }),
    z.transform((value) => new Date(value).toISOString()),
  )
  .register(z.globalRegistry, {
    description: 'ISO-8601 date-time; stored and returned in UTC',
    example: '2026-11-23T09:30:00.000Z',
  });

export const Timezone = z
  .string()
  .check(
    z.maxLength(64),
    z.refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Berlin'),
  )
  .register(z.globalRegistry, { example: 'Europe/Berlin' });

export const Locale = z
  .string()
  .check(
    z.maxLength(35),
    z.refine((tag) => {
      try {
        return Intl.getCanonicalLocales(tag).length === 1;
      } catch {
        return false;
      }
    }, 'must be a BCP 47 language tag such as de-DE'),
  )
  .register(z.globalRegistry, { example: 'de-DE' });

export const Tag = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'tags are 1-50 characters: letters, digits, "-" and "_"'),
  );

export const Tags = z.array(Tag).check(
  z.maxLength(50),
  z.refine((tags) => new Set(tags).size === tags.length, 'tags must be unique'),
);

export const CurrencyCode = z
  .string()
  .check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as EUR'))
  .register(z.globalRegistry, { example: 'EUR' });

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
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
});

export const pageOf = <T extends z.ZodMiniType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.nullable(z.string()).register(z.globalRegistry, {
        description: 'Pass as `?cursor=` for the next page; null on the last page',
      }),
    })
    .register(z.globalRegistry, { id });
