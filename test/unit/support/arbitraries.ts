/** fast-check arbitraries shared by the unit tests: ids, timestamps and secret-looking text. */
import fc from 'fast-check';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID as Relay stores it: 26 Crockford base32 characters, first one 0-7 (48-bit timestamp). */
export const ulidArb = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...'01234567'),
      fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 25, maxLength: 25 }),
    )
    .map(([head, tail]) => `${head}${tail}`);

/** An instant between 2000 and 2099, as the UTC ISO-8601 string Relay stores (`…T…:…:….sssZ`). */
export const isoTimestampArb = (): fc.Arbitrary<string> =>
  fc
    .date({
      min: new Date('2000-01-01T00:00:00.000Z'),
      max: new Date('2099-12-31T23:59:59.999Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString());

/** Compares two key strings the way DynamoDB orders string keys: by their UTF-8 bytes. */
export const byteCompare = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
