/**
 * SSRF guard for webhook URLs. Two checks, one rule set:
 *
 * - at subscribe time (`checkWebhookUrl`, pure): the scheme (https only outside the `local` and
 *   `dev` stages) and, when the host is an IP literal, the address itself;
 * - at delivery time (`guardedLookup`): every address the host name resolves to (`dns.lookup`
 *   with `all`), used as the socket's `lookup`, so the address checked is the address connected
 *   to (no DNS-rebinding gap between check and connect).
 *
 * Outside the `local` stage no delivery goes to a loopback, private (RFC 1918, CGNAT), link-local
 * (incl. the 169.254.169.254 metadata service), unique-local (fc00::/7, incl. fd00:ec2::254),
 * multicast, reserved or documentation address, over IPv4 or IPv6, including IPv4-mapped
 * (`::ffff:10.0.0.1`), IPv4-compatible, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) forms.
 */
import type { LookupAddress } from 'node:dns';

// Builtins through `process.getBuiltinModule`, not ESM imports (see delivery.ts: an ESM import of
// a builtin evaluates every export of it, lazy getters included).
const { lookup: dnsLookup } = process.getBuiltinModule('node:dns');
const { isIP } = process.getBuiltinModule('node:net');

/** Stages where plain http:// is accepted. */
const HTTP_STAGES = new Set(['local', 'dev']);
/** Stages where private and loopback addresses are reachable (a receiver on the developer's machine). */
const PRIVATE_STAGES = new Set(['local']);

export const allowsHttp = (stage: string): boolean => HTTP_STAGES.has(stage);
export const allowsPrivateAddresses = (stage: string): boolean => PRIVATE_STAGES.has(stage);

/** [first address, prefix length] of the IPv4 ranges no webhook may reach. */
const blockedV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const v4ToInt = (address: string): number =>
  address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);

const inV4Range = (value: number, [base, bits]: readonly [string, number]): boolean => {
  const size = 2 ** (32 - bits);
  const start = v4ToInt(base);
  return value >= start && value < start + size;
};

const isBlockedV4 = (address: string): boolean => {
  const value = v4ToInt(address);
  return blockedV4.some((range) => inV4Range(value, range));
};

/** The eight 16-bit groups of an IPv6 address (embedded dotted quads and zone ids handled). */
export const ipv6Groups = (address: string): number[] => {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = v4ToInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.map((group) => Number.parseInt(group, 16));
};

const v4FromGroups = (high: number, low: number): string =>
  [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');

const isBlockedV6 = (address: string): boolean => {
  const g = ipv6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroTo = (n: number) => g.slice(0, n).every((group) => group === 0);
  if (zeroTo(8)) return true; // :: unspecified
  if (zeroTo(7) && g7 === 1) return true; // ::1 loopback
  if (zeroTo(5) && g5 === 0xffff) return isBlockedV4(v4FromGroups(g6, g7)); // ::ffff:a.b.c.d mapped
  if (zeroTo(4) && g4 === 0xffff && g5 === 0) return isBlockedV4(v4FromGroups(g6, g7)); // ::ffff:0:a.b.c.d
  if (zeroTo(6)) return isBlockedV4(v4FromGroups(g6, g7)); // ::a.b.c.d IPv4-compatible (deprecated)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return isBlockedV4(v4FromGroups(g6, g7)); // 64:ff9b::/96 NAT64
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return true; // 64:ff9b:1::/48 local-use NAT64
  if (g0 === 0x2002) return isBlockedV4(v4FromGroups(g1, g2)); // 6to4 embeds an IPv4 address
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // 100::/64 discard
  if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
  if (g0 === 0x2001 && g1 < 0x200) return true; // 2001::/23 IETF protocol assignments (Teredo, ORCHID…)
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local (incl. fd00:ec2::254 metadata)
  if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g0 & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  return false;
};

/** True for any address a webhook must not reach outside the `local` stage; non-IPs are blocked. */
export const isBlockedAddress = (address: string): boolean => {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) return isBlockedV4(address);
  if (family === 6) return isBlockedV6(address);
  return true;
};

/** Host names that always mean this machine or the cloud's metadata service. */
const blockedHostNames = /^(?:localhost|.*\.localhost|.*\.local|.*\.internal|metadata)$/;

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** The subscribe-time check: scheme per stage, host names and IP literals. */
export const checkWebhookUrl = (raw: string, stage: string): UrlCheck => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowsHttp(stage))) {
    return { ok: false, reason: allowsHttp(stage) ? 'must be an http(s) URL' : 'must be an https:// URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
  if (allowsPrivateAddresses(stage)) return { ok: true, url };
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host) !== 0) {
    return isBlockedAddress(host)
      ? { ok: false, reason: 'must not point to a private, loopback or link-local address' }
      : { ok: true, url };
  }
  if (blockedHostNames.test(host) || !host.includes('.')) {
    return { ok: false, reason: 'must name a public host' };
  }
  return { ok: true, url };
};

/** Error of a resolution that reached a blocked address (never retried into success). */
export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKED';
  constructor(hostname: string) {
    super(`${hostname} resolves to a private, loopback or link-local address`);
    this.name = 'BlockedAddressError';
  }
}

export type LookupAll = (
  hostname: string,
  options: { all: true; family?: number },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

type SocketLookup = (
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/**
 * A `lookup` for `http.request`/`net.connect` that resolves all addresses and fails with
 * `BlockedAddressError` when any of them is blocked (unless the stage allows private addresses).
 */
export const guardedLookup = (stage: string, resolve: LookupAll = dnsLookup as LookupAll): SocketLookup => {
  return (hostname, options, callback) => {
    const family =
      options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family ?? 0);
    resolve(hostname, { all: true, ...(family ? { family } : {}) }, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.length === 0) {
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      }
      if (!allowsPrivateAddresses(stage) && addresses.some((a) => isBlockedAddress(a.address))) {
        return callback(new BlockedAddressError(hostname), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
};

/** Resolves `hostname` and checks every address (the delivery-time check, for callers without a socket). */
export const resolveAndCheck = (
  hostname: string,
  stage: string,
  resolve: LookupAll = dnsLookup as LookupAll,
): Promise<LookupAddress[]> =>
  new Promise((done, fail) => {
    guardedLookup(stage, resolve)(hostname, { all: true }, (error, addresses) =>
      error ? fail(error) : done(addresses as LookupAddress[]),
    );
  });
