/** SSRF guard: scheme per stage, blocked address table (IPv4, IPv6, mapped forms), DNS-time checks. */
import type { LookupAddress } from 'node:dns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BlockedAddressError,
  checkWebhookUrl,
  guardedLookup,
  ipv6Groups,
  isBlockedAddress,
  resolveAndCheck,
} from '#shared/domain/webhooks/url-guard';

const blocked = [
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.1',
  '10.255.255.255',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '169.254.0.1',
  '100.64.0.1',
  '0.0.0.0',
  '0.1.2.3',
  '224.0.0.1',
  '255.255.255.255',
  '240.0.0.1',
  '192.0.2.1',
  '198.18.0.1',
  '::',
  '::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:169.254.169.254',
  '::ffff:10.0.0.1',
  '::ffff:0:10.0.0.1',
  '::127.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b::10.1.2.3',
  '2002:a00:1::',
  '2002:7f00:1::1',
  'fc00::1',
  'fd00:ec2::254',
  'fe80::1',
  'fe80::1%eth0',
  'febf::1',
  'fec0::1',
  'ff02::1',
  '2001:db8::1',
  '100::1',
  'not-an-ip',
];

const allowed = [
  '8.8.8.8',
  '1.1.1.1',
  '172.15.255.255',
  '172.32.0.1',
  '100.63.255.255',
  '100.128.0.1',
  '169.253.255.255',
  '192.169.0.1',
  '93.184.216.34',
  '2606:4700:4700::1111',
  '2a00:1450:4001:81b::200e',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

const lookupReturning =
  (addresses: LookupAddress[]) =>
  (
    _host: string,
    _options: unknown,
    callback: (error: NodeJS.ErrnoException | null, a: LookupAddress[]) => void,
  ) =>
    callback(null, addresses);

describe('Module: url-guard', () => {
  describe('Function: isBlockedAddress', () => {
    it.each(blocked)('blocks %s', (address) => {
      // Assess
      expect(isBlockedAddress(address)).toBe(true);
    });

    it.each(allowed)('allows %s', (address) => {
      // Assess
      expect(isBlockedAddress(address)).toBe(false);
    });

    it('property: an IPv4 address and its IPv4-mapped IPv6 form get the same verdict', () => {
      fc.assert(fc.property(fc.ipV4(), (v4) => isBlockedAddress(v4) === isBlockedAddress(`::ffff:${v4}`)));
    });

    it('property: every address in 10/8, 127/8, 169.254/16, 172.16/12 and 192.168/16 is blocked', () => {
      fc.assert(
        fc.property(
          fc.constantFrom([10, 8], [127, 8], [169, 16], [172, 12], [192, 16]),
          fc.integer({ min: 0, max: 2 ** 24 - 1 }),
          ([first, bits], rest) => {
            const base =
              first === 169
                ? 0xa9fe0000
                : first === 172
                  ? 0xac100000
                  : first === 192
                    ? 0xc0a80000
                    : first * 2 ** 24;
            const value = base + (rest % 2 ** (32 - (bits as number)));
            const ip = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
            return isBlockedAddress(ip);
          },
        ),
      );
    });

    it('property: every fc00::/7 and fe80::/10 address is blocked', () => {
      fc.assert(
        fc.property(fc.ipV6(), (v6) => {
          const groups = ipv6Groups(v6);
          const first = groups[0] ?? 0;
          if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80) return isBlockedAddress(v6);
          return true;
        }),
      );
    });
  });

  describe('Function: ipv6Groups', () => {
    it.each([
      ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
      ['fe80::1%eth0', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
      ['::ffff:127.0.0.1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
      ['2001:db8::', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]],
      ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ])('expands %s', (address, groups) => {
      // Assess
      expect(ipv6Groups(address)).toEqual(groups);
    });
  });

  describe('Function: checkWebhookUrl', () => {
    it.each([
      ['https://hooks.example.com/relay', 'prod', true],
      ['https://hooks.example.com/relay', 'staging', true],
      ['http://hooks.example.com/relay', 'prod', false],
      ['http://hooks.example.com/relay', 'staging', false],
      ['http://hooks.example.com/relay', 'dev', true],
      ['http://127.0.0.1:8080/hook', 'local', true],
      ['http://localhost:8080/hook', 'local', true],
      ['http://127.0.0.1:8080/hook', 'dev', false],
      ['https://127.0.0.1/hook', 'prod', false],
      ['https://169.254.169.254/latest/meta-data', 'prod', false],
      ['https://[::1]/hook', 'prod', false],
      ['https://[::ffff:7f00:1]/hook', 'prod', false],
      ['https://[fd00:ec2::254]/hook', 'prod', false],
      ['https://10.0.0.5/hook', 'staging', false],
      ['https://0x7f000001/hook', 'prod', false],
      ['https://2130706433/hook', 'prod', false],
      ['https://localhost/hook', 'prod', false],
      ['https://api.localhost/hook', 'prod', false],
      ['https://metadata.google.internal/hook', 'prod', false],
      ['https://intranet/hook', 'prod', false],
      ['https://8.8.8.8/hook', 'prod', true],
      ['https://[2606:4700:4700::1111]/hook', 'prod', true],
      ['ftp://hooks.example.com/', 'local', false],
      ['https://user:pass@hooks.example.com/', 'prod', false],
      ['not a url', 'prod', false],
    ])('%s in stage %s → allowed: %s', (url, stage, ok) => {
      // Act
      const check = checkWebhookUrl(url, stage);

      // Assess
      expect(check.ok).toBe(ok);
    });

    it('says why an http:// URL is refused outside dev', () => {
      // Act
      const check = checkWebhookUrl('http://hooks.example.com/', 'prod');

      // Assess
      expect(check).toEqual({ ok: false, reason: 'must be an https:// URL' });
    });
  });

  describe('Function: guardedLookup / resolveAndCheck', () => {
    it('fails when any resolved address is private (DNS rebinding to an internal host)', async () => {
      // Prepare
      const resolve = lookupReturning([
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]);

      // Act
      const result = resolveAndCheck('hooks.example.com', 'prod', resolve);

      // Assess
      await expect(result).rejects.toBeInstanceOf(BlockedAddressError);
    });

    it('fails on an IPv4-mapped loopback answer', async () => {
      // Act
      const result = resolveAndCheck(
        'evil.example.com',
        'prod',
        lookupReturning([{ address: '::ffff:127.0.0.1', family: 6 }]),
      );

      // Assess
      await expect(result).rejects.toBeInstanceOf(BlockedAddressError);
    });

    it('resolves public addresses', async () => {
      // Act
      const addresses = await resolveAndCheck(
        'hooks.example.com',
        'prod',
        lookupReturning([{ address: '93.184.216.34', family: 4 }]),
      );

      // Assess
      expect(addresses).toEqual([{ address: '93.184.216.34', family: 4 }]);
    });

    it('lets private addresses through in the local stage only', async () => {
      // Act
      const local = await resolveAndCheck(
        'localhost',
        'local',
        lookupReturning([{ address: '127.0.0.1', family: 4 }]),
      );
      const dev = resolveAndCheck('localhost', 'dev', lookupReturning([{ address: '127.0.0.1', family: 4 }]));

      // Assess
      expect(local).toEqual([{ address: '127.0.0.1', family: 4 }]);
      await expect(dev).rejects.toBeInstanceOf(BlockedAddressError);
    });

    it('answers a single address when the socket asks without `all`', async () => {
      // Prepare
      const lookup = guardedLookup('prod', lookupReturning([{ address: '93.184.216.34', family: 4 }]));

      // Act
      const answer = await new Promise((resolve) =>
        lookup('hooks.example.com', {}, (error, address, family) => resolve({ error, address, family })),
      );

      // Assess
      expect(answer).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    });
  });
});
