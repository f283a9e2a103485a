/**
 * Demo data for the local cloud: a specialty-coffee retailer with wholesale accounts.
 * `npm run seed` (standalone) or `seedIfEmpty()` (called by `npm start` on an empty table).
 *
 * - Everything is written through the domain services (`createCompany`, `createCustomer`,
 *   `appendTimelineEntry`, `updateCustomer`, `putAttributeDefinitions`) with inputs parsed by the
 *   same zod schemas as the API, so guards, links, lifecycle changes and aggregates stay consistent.
 * - Deterministic: one seeded PRNG per company/customer drives names, events and ULIDs, and time
 *   runs on a simulated clock anchored at the start of the current UTC day (`SEED_ANCHOR` pins it).
 * - Idempotent: companies are matched by domain and customers by email; existing ones are skipped,
 *   so a second run adds nothing.
 * - Personal data is fictional: emails use reserved example domains, phones use the ranges set
 *   aside for fiction (US 555-01xx, UK 07700 900xxx, FR 06 39 98 xx xx, AU 0491 570 xxx).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ulid } from 'ulid';
import { defaultRelayDir } from '#infra/local/dev-secrets';
import {
  ensureTable,
  firstFreePort,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localDynamoClient,
  startDynamoLocal,
} from '#infra/local/dynamodb';
import { startLocalCursorKeys } from '#infra/local/secrets-manager';
import { defaultSubFor } from '#infra/local/tokens';
import type { Caller } from '#shared/auth/claims';
import { scopes } from '#shared/auth/roles';
import { docClient } from '#shared/aws/clients';
import { config } from '#shared/config';
import { flagCustomerForAttention } from '#shared/db/attention-store';
import { tableNameFor } from '#shared/db/table';
import { appDeps, consentStore, cursorKeys, type Deps, resetDeps, templateDeps } from '#shared/deps';
import type { Clock } from '#shared/domain/clock';
import { type Company, CompanyCreate } from '#shared/domain/companies/schemas';
import { createCompany, listCompanies } from '#shared/domain/companies/service';
import { SubscriptionTypes } from '#shared/domain/consent/schemas';
import {
  type ConsentDeps,
  changeSubscriptions,
  putSubscriptionTypes,
  putSuppression,
} from '#shared/domain/consent/service';
import { CustomerCreate, CustomerPatch, type LifecycleStage } from '#shared/domain/customers/schemas';
import {
  appendTimelineEntry,
  createCustomer,
  getCustomer,
  listCustomers,
  updateCustomer,
  updateTimelineEntry,
} from '#shared/domain/customers/service';
import { type AttributeDefinition, AttributeDefinitions } from '#shared/domain/settings/schemas';
import { putAttributeDefinitions } from '#shared/domain/settings/service';
import type { TemplateCreate } from '#shared/domain/templates/schemas';
import { createTemplate, listTemplates } from '#shared/domain/templates/service';
import { attentionFor } from '#shared/domain/timeline/attention';
import { TimelineEntryInput } from '#shared/domain/timeline/schemas';
import { runAsSystem } from '#shared/http/request-context';

// ── deterministic randomness ─────────────────────────────────────────────────────────────────

export const DEFAULT_SEED = 20_261_123;
const DAY = 86_400_000;

/** mulberry32: small, fast, good enough for demo data, identical on every platform. */
const mulberry32 = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const hashSeed = (...parts: Array<string | number>): number => {
  let h = 2_166_136_261;
  for (const char of parts.join('|')) {
    h ^= char.charCodeAt(0);
    h = Math.imul(h, 16_777_619);
  }
  return h >>> 0;
};

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  some<T>(items: readonly T[], min: number, max: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    const count = Math.min(pool.length, this.int(min, max));
    while (out.length < count) out.push(...pool.splice(Math.floor(this.next() * pool.length), 1));
    return out;
  }
  shuffle<T>(items: readonly T[]): T[] {
    return this.some(items, items.length, items.length);
  }
  between(from: number, to: number): number {
    return Math.floor(from + this.next() * Math.max(0, to - from));
  }
}

// ── reference data ───────────────────────────────────────────────────────────────────────────

interface Country {
  code: 'US' | 'GB' | 'FR' | 'DE' | 'AU';
  firstNames: readonly string[];
  lastNames: readonly string[];
  timezones: readonly string[];
  locale: string;
  currency: string;
  /** Rough UTC offset, to place calls and visits in local waking hours. */
  utcOffset: number;
  /** Price factor from the EUR list price. */
  priceFactor: number;
  phone?: (rng: Rng) => string;
}

const AU_FICTION = [
  '570006',
  '570156',
  '570157',
  '570158',
  '570159',
  '570110',
  '570313',
  '570737',
  '571266',
  '571491',
];

const countries: readonly Country[] = [
  {
    code: 'US',
    firstNames: [
      'Olivia',
      'Liam',
      'Emma',
      'Noah',
      'Ava',
      'Ethan',
      'Sophia',
      'Mason',
      'Isabella',
      'Lucas',
      'Harper',
      'Elijah',
    ],
    lastNames: [
      'Johnson',
      'Martinez',
      'Nguyen',
      'Patel',
      'Robinson',
      'Walker',
      'Kim',
      'Garcia',
      'Thompson',
      'Rivera',
    ],
    timezones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'],
    locale: 'en-US',
    currency: 'USD',
    utcOffset: -6,
    priceFactor: 1.1,
    phone: (rng) =>
      `+1${rng.pick(['212', '312', '415', '512', '617', '720'])}55501${String(rng.int(0, 99)).padStart(2, '0')}`,
  },
  {
    code: 'GB',
    firstNames: [
      'Oliver',
      'Amelia',
      'George',
      'Isla',
      'Harry',
      'Freya',
      'Jack',
      'Poppy',
      'Alfie',
      'Florence',
    ],
    lastNames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Davies', 'Evans', 'Hughes', 'Clarke', 'Khan', 'Ahmed'],
    timezones: ['Europe/London'],
    locale: 'en-GB',
    currency: 'GBP',
    utcOffset: 0,
    priceFactor: 0.86,
    phone: (rng) => `+447700900${String(rng.int(0, 999)).padStart(3, '0')}`,
  },
  {
    code: 'FR',
    firstNames: ['Camille', 'Louis', 'Léa', 'Gabriel', 'Chloé', 'Hugo', 'Manon', 'Arthur', 'Inès', 'Jules'],
    lastNames: [
      'Martin',
      'Bernard',
      'Dubois',
      'Lefèvre',
      'Moreau',
      'Laurent',
      'Girard',
      'Fontaine',
      'Rousseau',
    ],
    timezones: ['Europe/Paris'],
    locale: 'fr-FR',
    currency: 'EUR',
    utcOffset: 1,
    priceFactor: 1,
    phone: (rng) => `+3363998${String(rng.int(0, 9999)).padStart(4, '0')}`,
  },
  {
    code: 'DE',
    firstNames: ['Lena', 'Jonas', 'Mia', 'Felix', 'Hannah', 'Leon', 'Emilia', 'Paul', 'Lea', 'Maximilian'],
    lastNames: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Becker',
      'Hoffmann',
      'Schäfer',
      'Koch',
    ],
    timezones: ['Europe/Berlin'],
    locale: 'de-DE',
    currency: 'EUR',
    utcOffset: 1,
    priceFactor: 1,
  },
  {
    code: 'AU',
    firstNames: ['Charlotte', 'William', 'Matilda', 'Jack', 'Ruby', 'Henry', 'Zoe', 'Thomas'],
    lastNames: ['Wilson', 'Anderson', 'White', 'Harris', 'Ryan', 'Kelly', 'Murphy', 'O’Brien'],
    timezones: ['Australia/Sydney', 'Australia/Melbourne', 'Australia/Brisbane'],
    locale: 'en-AU',
    currency: 'AUD',
    utcOffset: 10,
    priceFactor: 1.65,
    phone: (rng) => `+61491${rng.pick(AU_FICTION)}`,
  },
];

const countryWeights: Record<Country['code'], number> = { US: 30, GB: 20, FR: 15, DE: 20, AU: 15 };

interface Product {
  sku: string;
  name: string;
  /** List price in EUR. */
  price: number;
  wholesale?: boolean;
  slug: string;
}

const products: readonly Product[] = [
  {
    sku: 'BEAN-ETH-250',
    name: 'Ethiopia Yirgacheffe, whole beans 250 g',
    price: 14.5,
    slug: 'ethiopia-yirgacheffe',
  },
  {
    sku: 'BEAN-COL-1K',
    name: 'Colombia Huila, whole beans 1 kg',
    price: 39,
    slug: 'colombia-huila',
    wholesale: true,
  },
  {
    sku: 'BEAN-HOUSE-1K',
    name: 'House Espresso blend 1 kg',
    price: 32,
    slug: 'house-espresso',
    wholesale: true,
  },
  { sku: 'BEAN-DECAF-250', name: 'Swiss Water decaf 250 g', price: 13, slug: 'swiss-water-decaf' },
  { sku: 'BEAN-KEN-250', name: 'Kenya Nyeri AA 250 g', price: 16.9, slug: 'kenya-nyeri-aa' },
  { sku: 'GEAR-GRIND-C2', name: 'Hand grinder C2', price: 89, slug: 'hand-grinder-c2' },
  { sku: 'GEAR-KETTLE-GN', name: 'Gooseneck kettle 1 l', price: 64, slug: 'gooseneck-kettle' },
  { sku: 'GEAR-V60-02', name: 'Pour-over dripper 02, ceramic', price: 24, slug: 'pour-over-dripper' },
  {
    sku: 'GEAR-ESP-PRO',
    name: 'Espresso machine Pro, dual boiler',
    price: 1290,
    slug: 'espresso-machine-pro',
  },
  {
    sku: 'ACC-FILTER-100',
    name: 'Paper filters 02, pack of 100',
    price: 6.5,
    slug: 'paper-filters',
    wholesale: true,
  },
  { sku: 'ACC-SCALE', name: 'Brew scale with timer', price: 49, slug: 'brew-scale' },
  { sku: 'ACC-CUPS-6', name: 'Cupping bowls, set of 6', price: 36, slug: 'cupping-bowls', wholesale: true },
  { sku: 'GIFT-50', name: 'Gift card 50', price: 50, slug: 'gift-card' },
];

interface CompanySeed {
  key: string;
  input: CompanyCreate;
  country: Country['code'];
}

const companySeeds: readonly CompanySeed[] = [
  {
    key: 'northwind',
    country: 'US',
    input: {
      name: 'Northwind Traders',
      domain: 'northwind-traders.example',
      industry: 'Wholesale',
      size: '201-1000',
      tags: ['wholesale', 'key-account'],
    },
  },
  {
    key: 'fabrikam',
    country: 'DE',
    input: {
      name: 'Fabrikam Hotels GmbH',
      domain: 'fabrikam-hotels.example',
      industry: 'Hospitality',
      size: '1001-5000',
      tags: ['hospitality', 'key-account'],
    },
  },
  {
    key: 'contoso',
    country: 'GB',
    input: {
      name: 'Contoso Coffee Bars Ltd',
      domain: 'contoso-coffee.example',
      industry: 'Food & Beverage',
      size: '51-200',
      tags: ['cafe-chain'],
    },
  },
  {
    key: 'tailspin',
    country: 'FR',
    input: {
      name: 'Tailspin Bistro SAS',
      domain: 'tailspin-bistro.example',
      industry: 'Restaurants',
      size: '11-50',
      tags: ['restaurant'],
    },
  },
  {
    key: 'alpine',
    country: 'AU',
    input: {
      name: 'Alpine Ridge Lodges Pty Ltd',
      domain: 'alpine-ridge.example',
      industry: 'Travel & Leisure',
      size: '51-200',
      tags: ['hospitality'],
    },
  },
  {
    key: 'wingtip',
    country: 'US',
    input: {
      name: 'Wingtip Coworking',
      domain: 'wingtip-coworking.example',
      industry: 'Real Estate',
      size: '11-50',
      tags: ['office-coffee'],
    },
  },
];

const jobTitles = [
  'Head of Purchasing',
  'Operations Manager',
  'Food & Beverage Director',
  'Office Manager',
  'Head Barista',
  'Procurement Lead',
  'General Manager',
];
const consumerDomains = ['example.com', 'example.net', 'example.org', 'mail.example', 'inbox.example'];
const sources = [
  'organic-search',
  'google-ads',
  'newsletter-signup',
  'referral',
  'instagram',
  'webinar-2026-q1',
  'trade-show-berlin',
  'pop-up-store',
];
const consumerTags = [
  'newsletter',
  'espresso',
  'filter-coffee',
  'gear',
  'subscription',
  'eco',
  'early-adopter',
  'price-sensitive',
  'gift-buyer',
  'vip',
];

/** Custom attributes the demo defines (only when a deployment has none yet). */
const demoAttributes: AttributeDefinition[] = [
  {
    name: 'loyaltyTier',
    type: 'enum',
    label: 'Loyalty tier',
    required: false,
    options: ['bronze', 'silver', 'gold', 'platinum'],
  },
  { name: 'marketingOptIn', type: 'boolean', label: 'Marketing emails opt-in', required: false },
  { name: 'birthday', type: 'date', label: 'Birthday', required: false },
  {
    name: 'preferredRoast',
    type: 'enum',
    label: 'Preferred roast',
    required: false,
    options: ['light', 'medium', 'dark', 'decaf'],
  },
];

// ── the plan (pure) ──────────────────────────────────────────────────────────────────────────

type Stage = LifecycleStage;

/** A timeline input, or a lifecycle change the seed makes through `updateCustomer`. */
export type PlannedStep =
  /** `key` names the entry for a later `resolve` step. */
  | { at: number; kind: 'entry'; input: TimelineEntryInput; key?: string }
  | { at: number; kind: 'stage'; to: Stage }
  /** Resolves the complaint or support request planned under `key`. */
  | { at: number; kind: 'resolve'; key: string; resolution: string };

export interface PlannedCustomer {
  index: number;
  /** Company key (see companies) for B2B contacts. */
  companyKey?: string;
  createdAt: number;
  input: CustomerCreate;
  steps: PlannedStep[];
  /** Lifecycle stage the customer should end in. */
  finalStage: Stage;
}

export interface DemoPlan {
  anchor: number;
  companies: ReadonlyArray<{ key: string; createdAt: number; input: CompanyCreate }>;
  customers: PlannedCustomer[];
}

const ascii = (text: string): string =>
  text
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();

const round2 = (n: number): number => Math.round(n * 100) / 100;
const priceIn = (product: Product, country: Country): number =>
  country.priceFactor === 1 ? product.price : Math.round(product.price * country.priceFactor * 2) / 2 - 0.01;

/** A moment on `day` between 08:00 and 21:00 in the country's local time. */
const wakingTime = (rng: Rng, dayStart: number, country: Country): number =>
  dayStart + (rng.int(8, 20) - country.utcOffset) * 3_600_000 + rng.int(0, 3_599) * 1000;

const dayOf = (ms: number): number => Math.floor(ms / DAY) * DAY;

interface Persona {
  rng: Rng;
  country: Country;
  b2b: boolean;
  ownerSub: string | undefined;
  firstName: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

type OrderStatus = 'placed' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'returned' | 'refunded';

const orderEntry = (p: Persona, at: number, status: OrderStatus): TimelineEntryInput => {
  const { rng, country } = p;
  const pool = p.b2b
    ? products.filter((item) => item.wholesale)
    : products.filter((item) => item.sku !== 'GEAR-ESP-PRO' || rng.chance(0.15));
  const items = rng.some(pool, 1, p.b2b ? 3 : 3).map((product) => ({
    sku: product.sku,
    name: product.name,
    quantity: p.b2b ? rng.int(6, 40) : product.sku.startsWith('BEAN') ? rng.int(1, 3) : 1,
    unitPrice: priceIn(product, country),
  }));
  const amount = round2(items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0));
  return TimelineEntryInput.parse({
    type: 'order',
    occurredAt: iso(at),
    channel: p.b2b
      ? rng.pick(['email', 'partner', 'phone'])
      : rng.pick(['web', 'web', 'mobile_app', 'store']),
    source: { type: 'customer' },
    orderId: `ORD-${new Date(at).getUTCFullYear()}-${String(rng.int(10_000, 99_999))}`,
    amount,
    currency: country.currency,
    items,
    status,
  });
};

/**
 * One order's status changes, each a timeline entry with the same orderId: placed (and paid
 * minutes later), shipped a day or two after, delivered a few days later; a cancelled order is
 * placed then cancelled; a returned one is delivered, returned and refunded. Changes after
 * `until` have not happened yet.
 */
const orderProgression = (
  p: Persona,
  at: number,
  final: 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'returned',
  until: number,
): Array<{ at: number; input: TimelineEntryInput }> => {
  const { rng } = p;
  const placed = orderEntry(p, at, 'placed');
  const paidAt = at + rng.int(1, 20) * 60_000;
  const shippedAt = paidAt + rng.int(1, 2) * DAY;
  const deliveredAt = shippedAt + rng.int(1, 4) * DAY;
  const returnedAt = deliveredAt + rng.int(3, 14) * DAY;
  const plan: Array<[number, OrderStatus]> =
    final === 'cancelled'
      ? [[paidAt + rng.int(1, 12) * 3_600_000, 'cancelled']]
      : final === 'returned'
        ? [
            [paidAt, 'paid'],
            [shippedAt, 'shipped'],
            [deliveredAt, 'delivered'],
            [returnedAt, 'returned'],
            [returnedAt + rng.int(1, 5) * DAY, 'refunded'],
          ]
        : [
            [paidAt, 'paid'],
            ...(final === 'paid' ? [] : ([[shippedAt, 'shipped']] as Array<[number, OrderStatus]>)),
            ...(final === 'delivered' ? ([[deliveredAt, 'delivered']] as Array<[number, OrderStatus]>) : []),
          ];
  return [
    { at, input: placed },
    ...plan
      .filter(([when]) => when < until)
      .map(([when, status]) => ({
        at: when,
        input: TimelineEntryInput.parse({ ...placed, occurredAt: iso(when), status }),
      })),
  ];
};

const webVisit = (p: Persona, at: number): TimelineEntryInput => {
  const { rng } = p;
  const path = rng.chance(0.6)
    ? `/products/${rng.pick(products).slug}`
    : rng.pick([
        '/',
        '/blog/brewing-ratios',
        '/blog/new-harvest-ethiopia',
        '/wholesale',
        '/subscriptions',
        '/guides/espresso-dial-in',
      ]);
  return TimelineEntryInput.parse({
    type: 'web_visit',
    occurredAt: iso(at),
    channel: 'web',
    source: { type: 'customer' },
    url: `https://shop.relay-demo.example${path}`,
    ...(rng.chance(0.6)
      ? {
          referrer: rng.pick([
            'https://www.google.com/',
            'https://www.instagram.com/',
            'https://newsletter.relay-demo.example/',
          ]),
        }
      : {}),
    durationSeconds: rng.int(15, 900),
    pageViews: rng.int(1, 12),
  });
};

const outboundEmail = (p: Persona, at: number, subject?: string): TimelineEntryInput =>
  TimelineEntryInput.parse({
    type: 'email',
    occurredAt: iso(at),
    channel: 'email',
    source: { type: 'external', id: 'mailer' },
    direction: 'outbound',
    subject:
      subject ??
      p.rng.pick([
        'New harvest: Ethiopia Guji is here',
        'Your monthly brew guide',
        'Five ways to dial in your espresso',
        'Members’ early access: holiday blend',
        'We miss you: 15% off your next bag',
      ]),
    messageId: `<${hashSeed(p.firstName, at).toString(36)}@mail.relay-demo.example>`,
  });

const inboundEmail = (p: Persona, at: number): TimelineEntryInput =>
  TimelineEntryInput.parse({
    type: 'email',
    occurredAt: iso(at),
    channel: 'email',
    source: { type: 'customer' },
    direction: 'inbound',
    subject: p.b2b
      ? p.rng.pick([
          'Wholesale price list for next quarter?',
          'Invoice address change',
          'Delivery schedule for our sites',
        ])
      : p.rng.pick([
          'Question about grinder settings',
          'Change my delivery address',
          'Can I gift a subscription?',
        ]),
  });

const call = (p: Persona, at: number): TimelineEntryInput => {
  const { rng } = p;
  const outcome = rng.pick([
    'connected',
    'connected',
    'connected',
    'no_answer',
    'voicemail',
    'callback_requested',
  ] as const);
  return TimelineEntryInput.parse({
    type: 'call',
    occurredAt: iso(at),
    channel: 'phone',
    direction: rng.chance(0.6) ? 'outbound' : 'inbound',
    durationSeconds: outcome === 'connected' ? rng.int(90, 1_500) : rng.int(0, 40),
    outcome,
    ...(outcome === 'connected'
      ? {
          notes: rng.pick([
            'Walked through grind size for the new dripper; happy with the result.',
            'Discussed volume pricing for next quarter; sending an updated quote.',
            'Confirmed the replacement part ships tomorrow.',
            'Interested in the espresso machine; wants a demo in the showroom.',
          ]),
        }
      : {}),
  });
};

const meeting = (p: Persona, at: number): TimelineEntryInput =>
  TimelineEntryInput.parse({
    type: 'meeting',
    occurredAt: iso(at),
    channel: p.rng.chance(0.5) ? 'in_person' : 'other',
    subject: p.rng.pick([
      'Wholesale onboarding',
      'Quarterly business review',
      'Cupping session and tasting',
      'Contract renewal',
      'Barista training plan',
    ]),
    durationMinutes: p.rng.pick([30, 45, 60, 90]),
    notes: p.rng.pick([
      'Agreed on a fortnightly delivery; trial of the house espresso at two sites.',
      'They want seasonal single origins on rotation; sample pack to follow.',
      'Renewal looks likely; asked for 5% off on volumes above 40 kg.',
    ]),
  });

const supportRequest = (p: Persona, at: number): TimelineEntryInput => {
  const [subject, priority] = p.rng.pick([
    ['Grinder burr replacement', 'normal'],
    ['Subscription pause while travelling', 'low'],
    ['Parcel arrived damaged', 'high'],
    ['Wrong grind size delivered', 'normal'],
    ['Copy of invoice needed', 'low'],
    ['Espresso machine shows error E03', 'urgent'],
  ] as const);
  return TimelineEntryInput.parse({
    type: 'support_request',
    occurredAt: iso(at),
    channel: p.rng.pick(['email', 'chat', 'phone', 'web']),
    source: { type: 'customer' },
    subject,
    description: `${subject}. Customer asked for help via the support form.`,
    priority,
  });
};

const complaint = (p: Persona, at: number): TimelineEntryInput => {
  const [subject, severity] = p.rng.pick([
    ['Order arrived two weeks late', 'medium'],
    ['Beans tasted stale on arrival', 'medium'],
    ['Charged twice for one order', 'high'],
    ['Courier left the parcel in the rain', 'low'],
    ['Espresso machine stopped working after a month', 'critical'],
  ] as const);
  return TimelineEntryInput.parse({
    type: 'complaint',
    occurredAt: iso(at),
    channel: p.rng.pick(['email', 'phone', 'social', 'chat']),
    source: { type: 'customer' },
    severity,
    subject,
  });
};

const survey = (p: Persona, at: number, kind: 'nps' | 'csat', unhappy: boolean): TimelineEntryInput => {
  const { rng } = p;
  const score =
    kind === 'nps'
      ? unhappy
        ? rng.int(0, 6)
        : rng.pick([7, 8, 9, 9, 10, 10])
      : unhappy
        ? rng.int(1, 3)
        : rng.int(4, 5);
  const question =
    kind === 'nps'
      ? 'How likely are you to recommend us to a friend or colleague?'
      : 'How satisfied are you with the help you received?';
  const comment = unhappy
    ? rng.pick([
        'Delivery took far too long.',
        'Great beans, but support was slow to answer.',
        'Expected better for the price.',
      ])
    : rng.pick([
        'Lovely fresh roast, fast shipping.',
        'The brew guide helped a lot!',
        'Friendly and quick support.',
      ]);
  return TimelineEntryInput.parse({
    type: 'survey_response',
    occurredAt: iso(at),
    channel: 'email',
    source: { type: 'customer' },
    survey: kind === 'nps' ? 'post-purchase-nps' : 'support-csat',
    kind,
    score,
    answers: [{ question, answer: String(score) }],
    ...(rng.chance(0.7) ? { comment } : {}),
  });
};

const chat = (p: Persona, at: number): TimelineEntryInput =>
  TimelineEntryInput.parse({
    type: 'chat',
    occurredAt: iso(at),
    channel: 'chat',
    source: { type: 'customer' },
    direction: 'inbound',
    summary: p.rng.pick([
      'Asked about brew ratios for the pour-over dripper.',
      'Wanted to know when the Kenya lot is back in stock.',
      'Checked the status of an order.',
      'Asked whether the decaf is chemical-free.',
    ]),
    durationSeconds: p.rng.int(60, 900),
  });

const note = (p: Persona, at: number): TimelineEntryInput =>
  TimelineEntryInput.parse({
    type: 'note',
    occurredAt: iso(at),
    body: p.rng.pick([
      'Prefers delivery before noon.',
      'Asked to be contacted by email only.',
      'Interested in the Pro espresso machine; follow up next month.',
      'Runs a home espresso setup; likes fruity light roasts.',
      'Decision maker for coffee across all their sites.',
    ]),
  });

const interview = (_p: Persona, at: number): TimelineEntryInput =>
  TimelineEntryInput.parse({
    type: 'interview',
    occurredAt: iso(at),
    channel: 'other',
    topic: 'Home-brewing habits research',
    durationMinutes: 45,
    notes: 'Brews twice a day; would pay more for a flexible subscription.',
  });

/** Sorted moments in [from, to): `count` days, each at a local waking time. */
const moments = (p: Persona, from: number, to: number, count: number): number[] =>
  Array.from({ length: count }, () => wakingTime(p.rng, dayOf(p.rng.between(from, to)), p.country))
    .filter((at) => at > from && at < to)
    .sort((a, b) => a - b);

/** Timeline of one customer from sign-up to `end`, shaped by the lifecycle stage they end in. */
const planSteps = (p: Persona, stage: Stage, createdAt: number, anchor: number): PlannedStep[] => {
  const { rng } = p;
  const steps: PlannedStep[] = [];
  const entry = (at: number, input: TimelineEntryInput, key?: string) =>
    steps.push({ at, kind: 'entry', input, ...(key === undefined ? {} : { key }) });
  /** Most complaints and support requests older than a week were resolved a few days later. */
  const caseEntry = (at: number, input: TimelineEntryInput, resolution: string) => {
    const key = `case-${steps.length}`;
    entry(at, input, key);
    const resolvedAt = at + rng.int(1, 5) * DAY;
    if (resolvedAt < end - 2 * DAY && rng.chance(0.7))
      steps.push({ at: resolvedAt, kind: 'resolve', key, resolution });
  };
  const end = anchor - DAY / 2;
  const engage = (from: number, to: number, scale: number) => {
    for (const at of moments(p, from, to, Math.round(rng.int(2, 6) * scale))) entry(at, webVisit(p, at));
    for (const at of moments(p, from, to, Math.round(rng.int(1, 4) * scale))) entry(at, outboundEmail(p, at));
  };

  if (stage === 'subscriber') {
    entry(createdAt + 60_000, outboundEmail(p, createdAt + 60_000, 'Welcome to Relay Coffee Roasters'));
    engage(createdAt, end, 1);
    return steps;
  }
  if (stage === 'lead' || stage === 'prospect') {
    engage(createdAt, end, 1);
    for (const at of moments(p, createdAt, end, rng.int(0, 2)))
      entry(at, rng.chance(0.5) ? chat(p, at) : inboundEmail(p, at));
    for (const at of moments(p, createdAt, end, rng.int(0, 2))) entry(at, call(p, at));
    if (rng.chance(0.5)) {
      const at = rng.between(createdAt, end);
      entry(at, note(p, at));
    }
    if (stage === 'prospect') {
      const qualifiedAt = rng.between(createdAt + (end - createdAt) / 3, end - 2 * DAY);
      steps.push({ at: qualifiedAt, kind: 'stage', to: 'prospect' });
      for (const at of moments(p, qualifiedAt, end, rng.int(1, 2))) entry(at, meeting(p, at));
      for (const at of moments(p, qualifiedAt, end, rng.int(1, 3))) entry(at, call(p, at));
    }
    return steps;
  }

  // customer / churned: pre-purchase browsing, then orders (the first one promotes the customer).
  const activeUntil = stage === 'churned' ? anchor - rng.int(120, 300) * DAY : end;
  const firstOrderAt = Math.min(
    wakingTime(rng, dayOf(createdAt + rng.int(2, 30) * DAY), p.country),
    activeUntil - rng.int(1, 3) * DAY,
  );
  engage(createdAt, activeUntil, p.b2b ? 0.5 : 1.2);
  const orderCount = p.b2b ? rng.int(3, 9) : rng.int(1, 7);
  const orderTimes = [firstOrderAt, ...moments(p, firstOrderAt + DAY, activeUntil, orderCount - 1)];
  let unhappy = false;
  for (const [index, at] of orderTimes.entries()) {
    const age = anchor - at;
    const status =
      index > 0 && rng.chance(0.04)
        ? 'cancelled'
        : rng.chance(0.04)
          ? 'returned'
          : age < 2 * DAY
            ? 'paid'
            : age < 5 * DAY
              ? 'shipped'
              : 'delivered';
    for (const change of orderProgression(p, at, status, end)) entry(change.at, change.input);
    const trouble = rng.chance(0.12);
    if (trouble) {
      const complainedAt = at + rng.int(3, 12) * DAY;
      if (complainedAt < activeUntil) {
        caseEntry(complainedAt, complaint(p, complainedAt), 'Apologised and sent a replacement.');
        unhappy = true;
      }
    }
    if (rng.chance(0.35)) {
      const surveyedAt = at + rng.int(7, 14) * DAY;
      if (surveyedAt < end) entry(surveyedAt, survey(p, surveyedAt, 'nps', trouble || unhappy));
    }
  }
  for (const at of moments(p, firstOrderAt, activeUntil, rng.int(0, 2))) {
    caseEntry(at, supportRequest(p, at), 'Answered by the support team.');
    if (rng.chance(0.6) && at + 3 * DAY < end)
      entry(at + 3 * DAY, survey(p, at + 3 * DAY, 'csat', rng.chance(0.2)));
  }
  for (const at of moments(p, createdAt, activeUntil, rng.int(0, 3))) entry(at, chat(p, at));
  for (const at of moments(p, createdAt, activeUntil, rng.int(0, p.b2b ? 3 : 1)))
    entry(at, inboundEmail(p, at));
  for (const at of moments(p, createdAt, activeUntil, rng.int(p.b2b ? 1 : 0, p.b2b ? 4 : 2)))
    entry(at, call(p, at));
  if (p.b2b) for (const at of moments(p, createdAt, activeUntil, rng.int(1, 3))) entry(at, meeting(p, at));
  if (rng.chance(0.4)) {
    const at = rng.between(firstOrderAt, activeUntil);
    entry(at, note(p, at));
  }
  if (!p.b2b && rng.chance(0.15)) {
    const at = rng.between(firstOrderAt, activeUntil);
    entry(at, interview(p, at));
  }
  if (stage === 'churned') {
    const churnedAt = activeUntil + rng.int(60, 100) * DAY;
    for (const at of moments(p, activeUntil, churnedAt, rng.int(1, 2))) {
      entry(at, outboundEmail(p, at, 'We miss you: 15% off your next bag'));
    }
    steps.push({ at: Math.min(churnedAt, end), kind: 'stage', to: 'churned' });
  }
  return steps.sort((a, b) => a.at - b.at);
};

/** Start of the current UTC day, or `SEED_ANCHOR` (an ISO date) when set. */
export const defaultAnchor = (): Date => {
  const pinned = process.env.SEED_ANCHOR;
  if (pinned) {
    const date = new Date(pinned);
    if (Number.isNaN(date.getTime())) throw new Error(`SEED_ANCHOR must be an ISO date, got "${pinned}"`);
    return date;
  }
  return new Date(dayOf(Date.now()));
};

export interface PlanOptions {
  anchor?: Date;
  seed?: number;
  /** Number of customers (default 60). */
  customers?: number;
}

/** The whole demo data set as a pure function of (anchor, seed): no I/O, no clock. */
export const buildDemoPlan = (options: PlanOptions = {}): DemoPlan => {
  const anchor = (options.anchor ?? defaultAnchor()).getTime();
  const seed = options.seed ?? DEFAULT_SEED;
  const total = options.customers ?? 60;
  const start = anchor - 548 * DAY; // ~18 months
  const salesSub = defaultSubFor('sales');
  const supportSub = defaultSubFor('support');

  const companies = companySeeds.map((company, index) => ({
    key: company.key,
    createdAt: start + index * 9 * DAY + 10 * 3_600_000,
    input: CompanyCreate.parse({ ...company.input, ownerId: salesSub }),
  }));

  const planRng = new Rng(hashSeed(seed, 'plan'));
  const stagePlan: Stage[] = planRng.shuffle(
    Array.from({ length: total }, (_, i) => {
      const share = i / total;
      return share < 0.13
        ? 'subscriber'
        : share < 0.3
          ? 'lead'
          : share < 0.43
            ? 'prospect'
            : share < 0.8
              ? 'customer'
              : 'churned';
    }),
  );
  const weighted = countries.flatMap((country) =>
    Array.from({ length: countryWeights[country.code] }, () => country),
  );
  const usedEmails = new Set<string>();
  const customers: PlannedCustomer[] = [];

  for (let index = 0; index < total; index += 1) {
    const rng = new Rng(hashSeed(seed, 'customer', index));
    // Every third customer (up to three per company) is a contact at a wholesale account.
    const companySeed = index % 3 === 0 ? companySeeds[(index / 3) % companySeeds.length] : undefined;
    const b2b = companySeed !== undefined && index / 3 < companySeeds.length * 3;
    const country = b2b
      ? (countries.find((c) => c.code === companySeed?.country) ?? rng.pick(weighted))
      : rng.pick(weighted);
    let stage = stagePlan[index] ?? 'lead';
    if (b2b && stage === 'subscriber') stage = 'prospect';
    const firstName = rng.pick(country.firstNames);
    const lastName = rng.pick(country.lastNames);
    const local = `${ascii(firstName)}.${ascii(lastName)}`;
    const domain = b2b && companySeed?.input.domain ? companySeed.input.domain : rng.pick(consumerDomains);
    let address = `${local}@${domain}`;
    for (let n = 2; usedEmails.has(address); n += 1) address = `${local}${n}@${domain}`;
    usedEmails.add(address);

    const ownerSub =
      stage === 'subscriber'
        ? undefined
        : b2b || stage === 'prospect'
          ? salesSub
          : rng.chance(0.5)
            ? salesSub
            : supportSub;
    const persona: Persona = { rng, country, b2b, ownerSub, firstName };
    const latestSignup =
      stage === 'churned' ? anchor - 330 * DAY : stage === 'customer' ? anchor - 20 * DAY : anchor - 5 * DAY;
    const createdAt = wakingTime(
      rng,
      dayOf(rng.between(start + (b2b ? 60 : 0) * DAY, latestSignup)),
      country,
    );
    const phone = country.phone && rng.chance(b2b ? 0.9 : 0.7) ? country.phone(rng) : undefined;
    const attributes: Record<string, string | number | boolean> = {};
    if (stage !== 'subscriber' || rng.chance(0.5)) attributes.marketingOptIn = rng.chance(0.7);
    if (stage === 'customer' || stage === 'churned') {
      attributes.loyaltyTier = rng.pick(['bronze', 'bronze', 'silver', 'silver', 'gold', 'platinum']);
      attributes.preferredRoast = rng.pick(['light', 'medium', 'medium', 'dark', 'decaf']);
    }
    if (!b2b && rng.chance(0.4)) {
      attributes.birthday = `${rng.int(1958, 2004)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    }
    const input = CustomerCreate.parse({
      firstName,
      lastName,
      emails: [
        { address, primary: true, label: b2b ? 'work' : 'personal' },
        ...(!b2b && rng.chance(0.15) ? [{ address: `${local}@work.example`, label: 'work' }] : []),
      ].filter((email) => email.address === address || !usedEmails.has(email.address)),
      ...(phone ? { phones: [{ number: phone, primary: true, label: b2b ? 'work' : 'mobile' }] } : {}),
      ...(b2b ? { jobTitle: rng.pick(jobTitles) } : {}),
      lifecycleStage: stage === 'subscriber' ? 'subscriber' : 'lead',
      ...(ownerSub ? { ownerId: ownerSub } : {}),
      tags: b2b
        ? ['b2b', ...rng.some(['wholesale', 'espresso', 'filter-coffee'], 1, 2)]
        : rng.some(consumerTags, 0, 3),
      attributes,
      source: b2b ? rng.pick(['trade-show-berlin', 'referral', 'partner-portal']) : rng.pick(sources),
      channel: b2b
        ? rng.pick(['event', 'partner', 'email'])
        : rng.pick(['web', 'web', 'social', 'mobile_app', 'store']),
      timezone: rng.pick(country.timezones),
      locale: country.locale,
    });
    for (const email of input.emails ?? []) usedEmails.add(email.address);
    customers.push({
      index,
      ...(b2b && companySeed ? { companyKey: companySeed.key } : {}),
      createdAt,
      input,
      steps: planSteps(persona, stage, createdAt, anchor),
      finalStage: stage,
    });
  }
  return { anchor, companies, customers };
};

// ── writing the plan through the domain services ─────────────────────────────────────────────

/** The identity the seed writes as: an admin, so it may assign owners. */
const SEED_ACTOR = 'relay-seed';
const seedCaller: Caller = { sub: SEED_ACTOR, roles: ['admin'], scopes: new Set(scopes), isAdmin: true };

/** A simulated clock with deterministic ULIDs from its own PRNG. */
class SeedClock implements Clock {
  private current: number;
  private readonly prng: () => number;
  constructor(seed: number, start: number) {
    this.prng = mulberry32(seed);
    this.current = start;
  }
  at(ms: number): this {
    this.current = ms;
    return this;
  }
  now(): Date {
    return new Date(this.current);
  }
  newId(): string {
    return ulid(this.current, this.prng);
  }
}

export interface SeedOptions extends PlanOptions {
  /** Customers written in parallel (default 6). */
  concurrency?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SeedResult {
  companiesCreated: number;
  companiesExisting: number;
  customersCreated: number;
  customersExisting: number;
  timelineEntries: number;
  lifecycleChanges: number;
  /** Complaints and support requests resolved after they were recorded. */
  casesResolved: number;
  attributeDefinitionsCreated: boolean;
  subscriptionTypesCreated: boolean;
  /** Customers created this run whose subscriptions were recorded (the rest keep the defaults). */
  consentsRecorded: number;
  suppressionsCreated: number;

  /** Demo email templates created (only against the local SES: `AWS_ENDPOINT_URL_SESV2`). */
  templatesCreated: number;
  durationMs: number;
}

/**
 * The demo email templates: a marketing newsletter with personalization and defaults (the
 * loyalty tier only when that attribute is defined) and a transactional one.
 */
export const demoTemplates = (attributes: ReadonlySet<string>): TemplateCreate[] => {
  const tier = attributes.has('loyaltyTier');
  return [
    {
      name: 'Monthly coffee newsletter',
      kind: 'marketing',
      description: 'Demo: personalised monthly newsletter',
      subject: '{{firstName}}, this month’s roasts are in',
      html: [
        '<h1>Hi {{firstName}},</h1>',
        '<p>Fresh roasts for {{#if company.name}}the team at {{company.name}}{{else}}you{{/if}}.</p>',
        tier ? '<p>Your loyalty tier: <strong>{{attributes.loyaltyTier}}</strong></p>' : '',
        '<p><a href="{{preferencesUrl}}">Email preferences</a> · <a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
      ].join('\n'),
      text: [
        'Hi {{firstName}},',
        'Fresh roasts for {{#if company.name}}the team at {{company.name}}{{else}}you{{/if}}.',
        tier ? 'Your loyalty tier: {{attributes.loyaltyTier}}' : '',
        'Preferences: {{preferencesUrl}}',
        'Unsubscribe: {{unsubscribeUrl}}',
      ].join('\n'),
      defaults: { firstName: 'coffee lover', ...(tier ? { 'attributes.loyaltyTier': 'bronze' } : {}) },
    },
    {
      name: 'Order shipped',
      kind: 'transactional',
      description: 'Demo: shipping notice',
      subject: 'Your order is on its way',
      html: '<p>Hi {{firstName}}, your order has shipped and arrives in 2–3 days.</p>',
      text: 'Hi {{firstName}}, your order has shipped and arrives in 2–3 days.',
      defaults: { firstName: 'there' },
    },
  ];
};
/** The demo's subscription types: two consent-based, one legitimate-interest, one double opt-in. */
const demoSubscriptionTypes = SubscriptionTypes.parse({
  types: [
    {
      id: 'newsletter',
      name: 'Newsletter',
      purpose: 'A monthly email with new roasts, brewing guides and stories from the farms',
      default: 'opt_in',
      legalBasis: 'consent',
    },
    {
      id: 'offers',
      name: 'Offers',
      purpose: 'Discounts, bundles and early access to limited lots',
      default: 'opt_in',
      legalBasis: 'consent',
    },
    {
      id: 'product_updates',
      name: 'Product updates',
      purpose: 'Changes to the subscriptions and machines you own',
      default: 'opt_out',
      legalBasis: 'legitimate_interest',
    },
    {
      id: 'events',
      name: 'Tastings and events',
      purpose: 'Invitations to cuppings and roastery open days near you',
      default: 'opt_in',
      legalBasis: 'consent',
      doubleOptIn: true,
    },
  ],
});

/** Addresses the demo suppresses (not customers: a bounced import and a complaint). */
const demoSuppressions = [
  { email: 'bounced.import@example.invalid', reason: 'hard_bounce' },
  { email: 'complained@example.invalid', reason: 'complaint' },
  { email: 'do-not-email@example.invalid', reason: 'manual', note: 'Asked by phone never to be emailed' },
] as const;

const allCompanies = async (deps: Deps): Promise<Company[]> => {
  const found: Company[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCompanies(deps, { limit: 200, cursor });
    found.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
};

const runPool = async <T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
};

/**
 * Writes the demo plan: attribute definitions (only if none exist), companies (skipping taken
 * domains), customers (skipping known emails) with their timelines and lifecycle changes.
 * Reads TABLE_NAME / endpoint from the environment like the functions do.
 */
/** Loads the demo data set; its writes are audited as the system actor `relay-seed`. */
export const seed = (options: SeedOptions = {}): Promise<SeedResult> =>
  runAsSystem(SEED_ACTOR, () => seedAll(options));

const seedAll = async (options: SeedOptions): Promise<SeedResult> => {
  const startedAt = performance.now();
  const plan = buildDemoPlan(options);
  const seedValue = options.seed ?? DEFAULT_SEED;
  const log = options.log ?? (() => undefined);
  resetDeps();
  const base = appDeps();
  const result: SeedResult = {
    companiesCreated: 0,
    companiesExisting: 0,
    customersCreated: 0,
    customersExisting: 0,
    timelineEntries: 0,
    lifecycleChanges: 0,
    casesResolved: 0,
    attributeDefinitionsCreated: false,
    subscriptionTypesCreated: false,
    consentsRecorded: 0,
    suppressionsCreated: 0,
    templatesCreated: 0,
    durationMs: 0,
  };
  const consent = consentStore();
  const consentDepsAt = (clock: Clock): ConsentDeps => ({
    consent,
    customers: base.customers,
    clock,
    tokenKeys: cursorKeys(),
  });
  if ((await consent.subscriptionTypes()).types.length === 0) {
    const clock = new SeedClock(hashSeed(seedValue, 'subscription-types'), plan.anchor - 560 * DAY);
    await putSubscriptionTypes(consentDepsAt(clock), demoSubscriptionTypes);
    result.subscriptionTypesCreated = true;
  }
  for (const suppression of demoSuppressions) {
    if (await consent.suppression(suppression.email)) continue;
    const clock = new SeedClock(
      hashSeed(seedValue, 'suppression', suppression.email),
      plan.anchor - 30 * DAY,
    );
    await putSuppression(consentDepsAt(clock), seedCaller, suppression.email, suppression);
    result.suppressionsCreated += 1;
  }

  const current = await base.settings.attributeDefinitions();
  if (current.definitions.length === 0) {
    const clock = new SeedClock(hashSeed(seedValue, 'settings'), plan.anchor - 560 * DAY);
    await putAttributeDefinitions(
      { ...base, clock },
      AttributeDefinitions.parse({ definitions: demoAttributes }),
    );
    result.attributeDefinitionsCreated = true;
  }
  const defined = new Set(
    (current.definitions.length === 0 ? demoAttributes : current.definitions).map(
      (definition) => definition.name,
    ),
  );

  // Templates are copied to SES on creation: seeded only when the local SES is there, never real SES.
  if (process.env.AWS_ENDPOINT_URL_SESV2) {
    const templates = templateDeps();
    const existing = new Set((await listTemplates(templates, { limit: 200 })).items.map((t) => t.name));
    for (const [index, input] of demoTemplates(defined).entries()) {
      if (existing.has(input.name)) continue;
      const clock = new SeedClock(hashSeed(seedValue, 'template', index), plan.anchor - 30 * DAY);
      await createTemplate({ ...templates, clock }, input);
      result.templatesCreated += 1;
    }
    log(`templates: ${result.templatesCreated} created`);
  }

  const byDomain = new Map((await allCompanies(base)).map((company) => [company.domain, company.id]));
  const companyIds = new Map<string, string>();
  for (const company of plan.companies) {
    const existing = byDomain.get(company.input.domain);
    if (existing) {
      companyIds.set(company.key, existing);
      result.companiesExisting += 1;
      continue;
    }
    const clock = new SeedClock(hashSeed(seedValue, 'company', company.key), company.createdAt);
    const created = await createCompany({ ...base, clock }, seedCaller, company.input);
    companyIds.set(company.key, created.id);
    result.companiesCreated += 1;
  }
  log(`companies: ${result.companiesCreated} created, ${result.companiesExisting} already there`);

  await runPool(plan.customers, options.concurrency ?? 6, async (planned) => {
    const email = planned.input.emails?.[0]?.address;
    if (email && (await listCustomers(base, { limit: 1, email })).items.length > 0) {
      result.customersExisting += 1;
      return;
    }
    const clock = new SeedClock(hashSeed(seedValue, 'customer', planned.index), planned.createdAt);
    const deps: Deps = { ...base, clock };
    const companyId = planned.companyKey ? companyIds.get(planned.companyKey) : undefined;
    const attributes = Object.fromEntries(
      Object.entries(planned.input.attributes ?? {}).filter(([name]) => defined.has(name)),
    );
    const customer = await createCustomer(deps, seedCaller, {
      ...planned.input,
      attributes,
      ...(companyId ? { companyId } : {}),
    });
    result.customersCreated += 1;
    // Varied consent, fixed by the seed: most joined the newsletter, fewer took offers, a few
    // objected to product updates, some asked for events (pending until they confirm).
    const pick = mulberry32(hashSeed(seedValue, 'consent', planned.index));
    const changes = [
      ...(pick() < 0.6 ? [{ type: 'newsletter', status: 'subscribed' as const }] : []),
      ...(pick() < 0.4 ? [{ type: 'offers', status: 'subscribed' as const }] : []),
      ...(pick() < 0.1 ? [{ type: 'product_updates', status: 'unsubscribed' as const }] : []),
      ...(pick() < 0.15 ? [{ type: 'events', status: 'subscribed' as const }] : []),
    ];
    if (changes.length > 0) {
      clock.at(planned.createdAt + 60_000);
      await changeSubscriptions(
        consentDepsAt(clock),
        seedCaller,
        customer.id,
        { changes, source: 'form', proof: { reference: 'signup-form' } },
        undefined,
      );
      result.consentsRecorded += 1;
    }
    const entryIds = new Map<string, string>();
    for (const step of planned.steps) {
      // Recorded a few seconds to minutes after it happened, as a real integration would.
      clock.at(step.at + ((step.at / 1000) % 180) * 1000);
      if (step.kind === 'entry') {
        const entry = await appendTimelineEntry(deps, seedCaller, customer.id, step.input);
        if (step.key) entryIds.set(step.key, entry.id);
        // What the flag-serious-complaints consumer does from the event (the stream poller
        // starts after seeding, at the stream's end, so it does not see these writes).
        const flag = attentionFor({ type: entry.type, occurredAt: entry.occurredAt, entry });
        if (flag) await flagCustomerForAttention(docClient(), config().tableName, customer.id, flag);
        result.timelineEntries += 1;
      } else if (step.kind === 'resolve') {
        const entryId = entryIds.get(step.key);
        if (!entryId) continue;
        await updateTimelineEntry(
          deps,
          seedCaller,
          customer.id,
          entryId,
          { status: 'resolved', resolution: step.resolution },
          1,
        );
        result.casesResolved += 1;
      } else {
        const before = await getCustomer(deps, customer.id);
        if (before.lifecycleStage === step.to) continue;
        await updateCustomer(
          deps,
          seedCaller,
          customer.id,
          CustomerPatch.parse({ lifecycleStage: step.to }),
          before.version,
        );
        result.lifecycleChanges += 1;
      }
    }
  });
  log(`customers: ${result.customersCreated} created, ${result.customersExisting} already there`);
  result.durationMs = Math.round(performance.now() - startedAt);
  return result;
};

export const describeSeed = (result: SeedResult): string =>
  `${result.companiesCreated} companies, ${result.customersCreated} customers, ${result.timelineEntries} timeline entries, ${result.lifecycleChanges} lifecycle changes, ${result.casesResolved} cases resolved, ${result.consentsRecorded} customers' subscriptions, ${result.suppressionsCreated} suppressions in ${(result.durationMs / 1000).toFixed(1)} s`;

/** Seeds only when the table holds no customers and no companies (used by `npm start`). */
export const seedIfEmpty = async (
  options: SeedOptions = {},
): Promise<{ seeded: boolean; summary: string; result?: SeedResult }> => {
  resetDeps();
  const deps = appDeps();
  const [someCustomers, someCompanies] = await Promise.all([
    listCustomers(deps, { limit: 1 }),
    listCompanies(deps, { limit: 1 }),
  ]);
  if (someCustomers.items.length > 0 || someCompanies.items.length > 0) {
    return { seeded: false, summary: 'table already has data; not seeding' };
  }
  options.log?.('the table is empty; seeding demo data (first run only; about 30 s on a small machine)…');
  const result = await seed({ ...options, log: undefined });
  return { seeded: true, summary: describeSeed(result), result };
};

// ── `npm run seed` ───────────────────────────────────────────────────────────────────────────

/** Where `npm start` records its running DynamoDB Local, so `npm run seed` can reuse it. */
export const runtimeFile = (relayDir: string): string => join(relayDir, 'local-cloud.json');

const runningLocalCloud = (relayDir: string): { dynamodbEndpoint: string; tableName: string } | undefined => {
  const file = runtimeFile(relayDir);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as {
      pid: number;
      dynamodbEndpoint: string;
      tableName: string;
    };
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
};

const main = async (): Promise<void> => {
  const relayDir = defaultRelayDir();
  const say = (line: string) => process.stdout.write(`${line}\n`);

  let endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  let tableName = process.env.TABLE_NAME ?? tableNameFor('local');
  let stop: (() => Promise<void>) | undefined;
  const running = endpoint ? undefined : runningLocalCloud(relayDir);
  if (running) {
    endpoint = running.dynamodbEndpoint;
    tableName = running.tableName;
    say(`seed: using the running local cloud's DynamoDB Local at ${endpoint}`);
  } else if (!endpoint) {
    const dynamo = await startDynamoLocal({
      port: await firstFreePort(8000),
      dbPath: join(relayDir, 'dynamodb'),
    });
    endpoint = dynamo.endpoint;
    stop = dynamo.stop;
    say(`seed: started DynamoDB Local at ${endpoint} (data in .relay/dynamodb, ${dynamo.startupMs} ms)`);
  }
  // Listing (the company lookup) needs the cursor key ring: the same persisted ring `npm start` uses.
  const stage = process.env.STAGE ?? 'local';
  const cursorKeys = await startLocalCursorKeys(stage, relayDir);
  Object.assign(process.env, {
    STAGE: stage,
    TABLE_NAME: tableName,
    ...cursorKeys.env,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    POWERTOOLS_SERVICE_NAME: 'relay',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  try {
    const client = localDynamoClient(endpoint);
    await ensureTable(client, tableName);
    client.destroy();
    const result = await seed({ log: (line) => say(`seed: ${line}`) });
    say(
      result.customersCreated + result.companiesCreated === 0
        ? `seed: nothing to add; table ${tableName} already holds the demo data`
        : `seed: added ${describeSeed(result)} to ${tableName}`,
    );
  } finally {
    await cursorKeys.secretsManager.close();
    await stop?.();
  }
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `seed: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
