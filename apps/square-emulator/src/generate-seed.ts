import { createId, createRandom, type Random } from "./random.js";
import type { SeedData, SquareCustomer, SquareCustomerGroup } from "./types.js";

/** Options of {@link generateSeed}. */
export interface GenerateSeedOptions {
  /** Number of customer profiles. */
  customers: number;
  /** Number of customer groups. */
  groups: number;
  /** Seed: the same options give the same data. */
  seed: number;
}

const GIVEN = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Linus",
  "Margaret",
  "Dennis",
  "Barbara",
  "Ken",
  "Frances",
  "Edsger",
  "Radia",
  "Donald",
  "Hedy",
  "Tim",
  "Shafi",
  "John",
  "Mary",
  "José",
  "Zoë",
  "Wei",
  "Aisha",
  "Mateo",
  "Olivia",
  "Noah",
  "Emma",
  "Liam",
  "Sofia",
  "Lucas",
  "Mia",
  "Ethan",
  "Chloé",
  "Omar",
  "Yuki",
  "Priya",
  "Kwame",
  "Ingrid",
  "Siobhan",
  "Dmitri",
  "Fatima",
];
const FAMILY = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Torvalds",
  "Hamilton",
  "Ritchie",
  "Liskov",
  "Thompson",
  "Allen",
  "Dijkstra",
  "Perlman",
  "Knuth",
  "Lamarr",
  "Berners-Lee",
  "Goldwasser",
  "McCarthy",
  "Smith",
  "García",
  "O'Brien",
  "Nguyen",
  "Khan",
  "Müller",
  "Rossi",
  "Kowalski",
  "Tanaka",
  "Okafor",
  "Andersen",
  "Silva",
  "Cohen",
  "Dubois",
  "Ivanova",
  "Park",
  "Singh",
  "Jones",
  "Brown",
];
const DOMAINS = [
  "gmail.com",
  "yahoo.com",
  "outlook.com",
  "icloud.com",
  "example.com",
  "example.org",
  "example.net",
  "hotmail.com",
  "proton.me",
  "fastmail.com",
  "acme.co",
  "bakery.example",
];
const COMPANIES = ["Acme Inc", "Globex", "Initech", "Umbrella Corp", "Stark Industries", "Wayne Enterprises"];
const AREA_CODES = ["415", "212", "206", "312", "617", "646", "310", "512", "303", "404", "718", "650"];
const SOURCES = ["THIRD_PARTY", "DIRECTORY", "IMPORT", "APPOINTMENTS", "ONLINE_STORE", "LOYALTY", "INVOICES"];
const GROUP_NAMES = [
  "VIP",
  "Newsletter",
  "Summer Conference 2022",
  "Wholesale",
  "Staff",
  "Loyal Customers",
  "Beta Testers",
  "Holiday Market 2023",
  "Board Members",
  "Volunteers",
  "Book Club",
  "Spring Gala",
  "Press",
  "Partners",
];

// Jan 1 2019 UTC: profiles are created over the following five years.
const START_MS = Date.UTC(2019, 0, 1);
const SPAN_MS = 5 * 365 * 24 * 3600 * 1000;

function ascii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z]/g, "");
}

function mixCase(s: string, r: Random): string {
  const style = r.int(4);
  if (style === 0) return s.toLowerCase();
  if (style === 1) return s.toUpperCase();
  return s; // as written: capitalised words, e.g. Ada.Lovelace@Example.com
}

function email(given: string, family: string, n: number, r: Random): string {
  const g = ascii(given);
  const f = ascii(family);
  const domain = r.pick(DOMAINS);
  const shownDomain = r.int(3) === 0 ? domain.charAt(0).toUpperCase() + domain.slice(1) : domain;
  const local = [`${g}.${f}${n}`, `${g}${f}${n}`, `${g.charAt(0)}.${f}${n}`, `${g}_${f}${n}`][
    r.int(4)
  ] as string;
  return `${mixCase(local, r)}@${shownDomain}`;
}

function phone(n: number, r: Random): string {
  if (r.int(40) === 0) return `+44 20 7946 ${String(1000 + (n % 9000)).padStart(4, "0")}`;
  const area = r.pick(AREA_CODES);
  const exchange = String(200 + r.int(800));
  const line = String(n % 10000).padStart(4, "0");
  switch (r.int(6)) {
    case 0:
      return `+1${area}${exchange}${line}`;
    case 1:
      return `+1 ${area}-${exchange}-${line}`;
    case 2:
      return `(${area}) ${exchange}-${line}`;
    case 3:
      return `${area}.${exchange}.${line}`;
    case 4:
      return `${area}-${exchange}-${line}`;
    default:
      return `1${area}${exchange}${line}`;
  }
}

/**
 * Deterministic, realistic data: names (with accents), emails in mixed case, phones in
 * several formats (a few UK numbers), about 2% of profiles sharing an email with an earlier
 * one, 0.5% with no public field (never listed or found), and memberships skewed so that a
 * few groups are large. Profiles are created in order over 2019-2023.
 */
export function generateSeed(options: GenerateSeedOptions): SeedData {
  const r = createRandom(options.seed);
  const groups: SquareCustomerGroup[] = [];
  for (let i = 0; i < options.groups; i++) {
    const base = GROUP_NAMES[i % GROUP_NAMES.length] as string;
    const name = i < GROUP_NAMES.length ? base : `${base} ${Math.floor(i / GROUP_NAMES.length) + 1}`;
    const created = new Date(START_MS - (options.groups - i) * 86_400_000).toISOString();
    groups.push({ id: createId(r), name, created_at: created, updated_at: created });
  }
  const customers: SquareCustomer[] = [];
  const step = options.customers > 0 ? SPAN_MS / options.customers : 0;
  for (let i = 0; i < options.customers; i++) {
    const createdMs = Math.floor(START_MS + i * step + r.next() * step);
    const created = new Date(createdMs).toISOString();
    const version = r.int(10) === 0 ? 1 + r.int(3) : 0;
    const updated = version > 0 ? new Date(createdMs + r.int(86_400_000 * 30)).toISOString() : created;
    const c: SquareCustomer = { id: createId(r), created_at: created, updated_at: updated };
    if (r.int(200) === 0) {
      c.note = "walk-in, no contact details";
    } else {
      const given = r.pick(GIVEN);
      const family = r.pick(FAMILY);
      if (r.int(20) !== 0) c.given_name = given;
      if (r.int(10) !== 0) c.family_name = family;
      if (r.int(15) === 0) c.company_name = r.pick(COMPANIES);
      const previous = customers.length > 0 ? customers[r.int(customers.length)] : undefined;
      if (r.int(50) === 0 && previous?.email_address !== undefined) {
        // A duplicate profile of the same person, with the email typed in another case.
        c.email_address = r.int(2) === 0 ? previous.email_address.toUpperCase() : previous.email_address;
      } else if (r.int(10) !== 0) {
        c.email_address = email(given, family, i, r);
      }
      if (r.int(5) !== 0) c.phone_number = phone(i, r);
    }
    c.preferences = { email_unsubscribed: r.int(20) === 0 };
    c.creation_source = r.pick(SOURCES);
    if (options.groups > 0) {
      const roll = r.next();
      const k = roll < 0.4 ? 0 : roll < 0.75 ? 1 : roll < 0.9 ? 2 : 3;
      const ids = new Set<string>();
      // Skewed: low-index groups are much larger than high-index ones.
      for (let j = 0; j < k; j++)
        ids.add((groups[Math.floor(options.groups * r.next() ** 2)] as SquareCustomerGroup).id);
      if (ids.size > 0) c.group_ids = [...ids];
    }
    c.version = version;
    customers.push(c);
  }
  return { groups, customers };
}
