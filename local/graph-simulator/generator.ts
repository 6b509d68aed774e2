/**
 * The tenant generator: a deterministic Fabrikam tenant (sellers in groups, internal colleagues),
 * its customer dataset (accounts and contacts, Contoso among them) and a year of mail and meeting
 * metadata before `asOf`. The directory and the customer dataset are built at once; mailboxes are
 * built one at a time on demand from (seed, user), so a 2,500-mailbox tenant is served lazily.
 */
import { z } from 'zod';
import { accountActivity, MEAN_THREAD_LENGTH, noiseActivity, pairActivity } from './activity-streams';
import type { FixtureGroup, GraphUser, MailFolder, TenantFixture, TenantInfo } from './fixture-schema';
import {
  broadcastMessages,
  folderSlot,
  GeneratedEvent,
  GeneratedMessage,
  slotFolder,
  unitDraw,
  type FilingKind,
  type MailboxLayout,
} from './generated-items';
import {
  DAY_MS,
  type AccountPlan,
  type Activity,
  type ActivityProfile,
  type LogicalMail,
  type LogicalMeeting,
  type PairPlan,
  type Person,
  type TenantModel,
} from './generator-model';
import { defaultMailFolders, ensureFolderPath, wellKnownFolderId } from './mail-folders';
import { deterministicGuid, hashString, streamRandom, type Random } from './random';
import {
  compareEvents,
  compareMessages,
  EMPTY_MAILBOX,
  type EventRecord,
  type MailboxContent,
  type MessageRecord,
  type TenantSource,
} from './tenant-source';
import {
  COMPANY_NOUNS,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  CONTACT_TITLES,
  FIRST_NAMES,
  INTERNAL_ROLES,
  LAST_NAMES,
  OPTIONAL_USER_FOLDERS,
  PROJECT_FOLDERS,
  PUBLIC_MAIL_DOMAINS,
  SAMPLE_COMPANIES,
  SELLER_TITLES,
  USER_FOLDERS,
} from './tenant-names';

export const TENANT_DOMAIN = 'fabrikam.com';

const optionsSchema = z.object({
  seed: z.union([z.number(), z.string()]).default(1),
  sellers: z.number().int().min(2).max(100_000),
  accounts: z.number().int().min(1).max(1_000_000).optional(),
  asOf: z.union([z.date(), z.iso.datetime({ offset: true })]).optional(),
  messagesPerMailbox: z.number().min(0).max(1_000_000).default(400),
  internalUsers: z.number().int().min(1).max(100_000).optional(),
  mailboxCacheSize: z.number().int().min(1).max(10_000).default(8),
  /** How many sellers have a busy inbox (default: one in 50, at least one; the first is Ana). */
  busyInboxes: z.number().int().min(0).max(100_000).optional(),
  /** Broadcast noise (newsletters, notifications) a busy inbox gets inside the one-year window. */
  busyInboxMessages: z.number().int().min(0).max(1_000_000).default(5_500),
  /**
   * How many accounts stopped answering their sellers a month or more before asOf (the contract's
   * Unanswered signal). None unless asked: the tenants other tests and the benchmark generate keep
   * their activity as it was; the demo asks for `unansweredShare(accounts)`.
   */
  unansweredAccounts: z.number().int().min(0).max(1_000_000).default(0),
});

export type GenerateTenantOptions = z.input<typeof optionsSchema>;

export interface CustomerAccount {
  AccountId: string;
  Name: string;
  Domain: string;
  OwnerEmail: string;
}

export interface CustomerContact {
  ContactId: string;
  AccountId: string;
  Email: string;
  FirstName: string;
  LastName: string;
  JobTitle: string;
}

export interface CustomerDataset {
  accounts: CustomerAccount[];
  contacts: CustomerContact[];
}

/** What a test may want to know about an account's generated activity. */
export interface AccountSummary {
  accountId: string;
  name: string;
  ownerEmail: string;
  profile: ActivityProfile;
  /** No activity at or after this instant (ISO); stale accounts stop 60+ days before asOf. */
  activeUntil: string;
  expectedThreads: number;
  /** When the account's people stopped answering (ISO), for the few accounts that did; else null. */
  unansweredSince: string | null;
}

type SellerTeam = 'us' | 'usWest' | 'emea' | 'partner';

const TEAM_GROUPS: Record<SellerTeam, { displayName: string; mail: string }> = {
  us: { displayName: 'US Sales', mail: 'ussales' },
  usWest: { displayName: 'US Sales West', mail: 'ussaleswest' },
  emea: { displayName: 'EMEA Sales', mail: 'emeasales' },
  partner: { displayName: 'Partner Sales', mail: 'partnersales' },
};

/** Region of a team, for managers and account domains. */
const TEAM_REGION: Record<SellerTeam, number> = { us: 0, usWest: 0, emea: 1, partner: 2 };
/** Region names by region number: the customer folder groups (Inbox/Customers/<region>). */
const REGION_NAMES = ['Americas', 'EMEA', 'Partners'] as const;

/** At most this many account folders per mailbox (a seller of a huge dataset does not file them all). */
const MAX_ACCOUNT_FOLDERS = 40;
/** Share of a seller's own (non-silent, non-busy) accounts that have a customer folder. */
const ACCOUNT_FOLDER_SHARE = 0.6;

/** A folder name from an account name: no path separators, single spaces. */
function folderName(name: string): string {
  return name
    .replace(/[/\\]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

class NameBook {
  private readonly taken = new Set<string>();

  constructor(private readonly rnd: Random) {}

  person(): { first: string; last: string } {
    return { first: this.rnd.pick(FIRST_NAMES), last: this.rnd.pick(LAST_NAMES) };
  }

  /** A unique address local@domain built from the given local part. */
  address(local: string, domain: string): string {
    const clean = local.toLowerCase().replace(/[^a-z0-9.]/g, '');
    let candidate = `${clean}@${domain}`;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${clean}${n}@${domain}`;
    this.taken.add(candidate);
    return candidate;
  }

  reserve(address: string): void {
    this.taken.add(address);
  }
}

function accountNames(rnd: Random, count: number): string[] {
  const names = ['Contoso Ltd', ...SAMPLE_COMPANIES].slice(0, count);
  const taken = new Set(names);
  let attempts = 0;
  while (names.length < count) {
    attempts++;
    const prefix = rnd.pick(COMPANY_PREFIXES);
    const noun = rnd.pick(COMPANY_NOUNS);
    let name = `${prefix} ${noun}${rnd.pick(COMPANY_SUFFIXES)}`;
    if (taken.has(name) || attempts > count * 3) {
      name = `${prefix}${rnd.pick(COMPANY_PREFIXES).toLowerCase()} ${noun}${rnd.pick(COMPANY_SUFFIXES)}`;
    }
    if (taken.has(name)) name = `${prefix} ${noun} ${names.length}`;
    taken.add(name);
    names.push(name);
  }
  return names;
}

const LEGAL_WORDS = /\b(inc|ltd|group|gmbh|sa|llc|plc|corporation)\b/gi;

function domainFor(name: string, region: number, rnd: Random, taken: Set<string>): string {
  if (name === 'Contoso Ltd') {
    taken.add('contoso.com');
    return 'contoso.com';
  }
  const slug =
    name
      .replace(LEGAL_WORDS, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '') || 'company';
  const tld =
    region === 1 ? rnd.pick(['co.uk', 'de', 'fr', 'nl', 'eu', 'com']) : region === 2 ? 'net' : 'com';
  let domain = `${slug}.${tld}`;
  for (let n = 2; taken.has(domain); n++) domain = `${slug}${n}.${tld}`;
  taken.add(domain);
  return domain;
}

function sellerTeam(index: number, rnd: Random): SellerTeam {
  const fixed: SellerTeam[] = ['us', 'usWest', 'emea', 'partner'];
  const forced = fixed[index];
  if (forced !== undefined) return forced;
  const r = rnd.next();
  return r < 0.3 ? 'us' : r < 0.45 ? 'usWest' : r < 0.8 ? 'emea' : 'partner';
}

interface DirectoryUser {
  readonly user: GraphUser;
  readonly person: Person;
}

function makeUser(
  seed: string,
  index: number,
  first: string,
  last: string,
  address: string,
  jobTitle: string,
  department: string,
): DirectoryUser {
  const id = deterministicGuid(seed, 'user', index);
  const displayName = `${first} ${last}`;
  return {
    user: {
      id,
      displayName,
      givenName: first,
      surname: last,
      mail: address,
      userPrincipalName: address,
      jobTitle,
      department,
      officeLocation: null,
      businessPhones: [],
      mobilePhone: null,
      preferredLanguage: 'en-US',
    },
    person: { name: displayName, address, userId: id },
  };
}

export class GeneratedTenant implements TenantSource {
  readonly seed: string;
  readonly asOf: Date;
  readonly tenant: TenantInfo;
  readonly users: readonly GraphUser[];
  readonly groups: readonly FixtureGroup[];
  readonly sellers: readonly GraphUser[];
  readonly internalUsers: readonly GraphUser[];
  readonly customers: CustomerDataset;
  readonly accounts: readonly AccountSummary[];
  /** How many mailboxes have been built so far (cache misses), and which. */
  readonly stats = { mailboxesGenerated: 0, generatedUserIds: new Set<string>() };
  private readonly cache = new Map<string, MailboxContent>();

  constructor(
    private readonly model: TenantModel,
    parts: {
      tenant: TenantInfo;
      users: GraphUser[];
      groups: FixtureGroup[];
      sellers: GraphUser[];
      internalUsers: GraphUser[];
      customers: CustomerDataset;
    },
    private readonly cacheSize: number,
  ) {
    this.seed = model.seed;
    this.asOf = new Date(model.asOf);
    this.tenant = parts.tenant;
    this.users = parts.users;
    this.groups = parts.groups;
    this.sellers = parts.sellers;
    this.internalUsers = parts.internalUsers;
    this.customers = parts.customers;
    this.accounts = model.accounts.map((plan) => ({
      accountId: plan.accountId,
      name: plan.name,
      ownerEmail: plan.owner.address,
      profile: plan.profile,
      activeUntil: new Date(plan.activeUntil).toISOString(),
      expectedThreads: plan.expectedThreads,
      unansweredSince: plan.unansweredSince === null ? null : new Date(plan.unansweredSince).toISOString(),
    }));
  }

  /** The tenant as the simulator serves it (this object: mailboxes are built lazily). */
  get source(): TenantSource {
    return this;
  }

  /** One line for logs: "40 sellers in 3 sales groups, 8 colleagues, 300 accounts, …". */
  get summary(): string {
    const busy = [...this.model.busyInboxes.values()];
    const noise = busy.reduce((sum, n) => sum + n, 0);
    return (
      `${this.sellers.length} sellers in 3 sales groups, ${this.internalUsers.length} colleagues, ` +
      `${this.customers.accounts.length} accounts, ${this.customers.contacts.length} contacts, ` +
      `${busy.length} busy ${busy.length === 1 ? 'inbox' : 'inboxes'} ` +
      `(${noise.toLocaleString('en-US')} broadcast messages in the window), ` +
      `activity until ${this.asOf.toISOString()}`
    );
  }

  /** Whether the user is a seller with a busy inbox, and how many broadcasts it gets in the window. */
  busyInboxMessages(userId: string): number {
    return this.model.busyInboxes.get(userId) ?? 0;
  }

  /** The user's mailbox, from a small cache of recently served mailboxes. */
  mailbox(userId: string): MailboxContent {
    const cached = this.cache.get(userId);
    if (cached !== undefined) {
      this.cache.delete(userId);
      this.cache.set(userId, cached);
      return cached;
    }
    const content = this.buildMailbox(userId);
    this.cache.set(userId, content);
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
    return content;
  }

  mailFolders(userId: string): readonly MailFolder[] {
    return this.mailboxLayout(userId).folders;
  }

  /**
   * The user's folder tree and the folders copies are filed into, derived from (seed, user) and the
   * accounts the user owns, without building the mailbox: the well-known folders; Projects (with a
   * child or two), Receipts, Team and a few optional folders at the top level; Inbox/Customers with
   * Inbox/Customers/<Key accounts or region>/<account> for the user's busy accounts and some others.
   */
  mailboxLayout(userId: string): MailboxLayout {
    const folders = defaultMailFolders(userId);
    const seedHash = this.model.seedHash;
    const ownerHash = hashString(userId);
    const add = (path: string): string => ensureFolderPath(userId, folders, path);
    const projects = add(USER_FOLDERS[0] ?? 'Projects');
    const receipts = add(USER_FOLDERS[1] ?? 'Receipts');
    const team = add(USER_FOLDERS[2] ?? 'Team');
    for (const name of USER_FOLDERS.slice(3)) add(name);
    OPTIONAL_USER_FOLDERS.forEach((name, i) => {
      if (unitDraw(seedHash, ownerHash, i, 21) < 0.3) add(name);
    });
    PROJECT_FOLDERS.forEach((name, i) => {
      if (i === ownerHash % PROJECT_FOLDERS.length || unitDraw(seedHash, ownerHash, i, 22) < 0.2) {
        add(`${USER_FOLDERS[0] ?? 'Projects'}/${name}`);
      }
    });
    const customers = add('inbox/Customers');
    const accountFolders = new Map<number, string>();
    if (this.model.people.has(userId)) {
      const taken = new Set<string>();
      for (const index of this.model.accountsByMember.get(userId) ?? []) {
        if (accountFolders.size >= MAX_ACCOUNT_FOLDERS) break;
        const plan = this.model.accounts[index];
        if (plan === undefined || plan.owner.userId !== userId || plan.profile === 'silent') continue;
        const key = plan.profile === 'busy';
        if (!key && unitDraw(seedHash, ownerHash, hashString(plan.accountId), 23) >= ACCOUNT_FOLDER_SHARE) {
          continue;
        }
        const group = key ? 'Key accounts' : plan.region;
        let name = folderName(plan.name) || plan.accountId;
        if (taken.has(`${group}/${name}`.toLowerCase())) name = `${name} (${plan.accountId})`;
        taken.add(`${group}/${name}`.toLowerCase());
        accountFolders.set(index, add(`inbox/Customers/${group}/${name}`));
      }
    }
    const wellKnown = (name: 'inbox' | 'sentitems' | 'drafts' | 'archive' | 'deleteditems' | 'junkemail') =>
      wellKnownFolderId(userId, name);
    return {
      folders,
      inbox: wellKnown('inbox'),
      sentitems: wellKnown('sentitems'),
      drafts: wellKnown('drafts'),
      archive: wellKnown('archive'),
      deleteditems: wellKnown('deleteditems'),
      junkemail: wellKnown('junkemail'),
      customers,
      team,
      projects,
      receipts,
      accountFolders,
    };
  }

  /** Builds one mailbox from the streams its owner takes part in (not cached). */
  buildMailbox(userId: string): MailboxContent {
    const owner = this.model.people.get(userId);
    if (owner === undefined) return EMPTY_MAILBOX;
    this.stats.mailboxesGenerated++;
    this.stats.generatedUserIds.add(userId);
    const ownerHash = hashString(userId);
    const seedHash = this.model.seedHash;
    const layout = this.mailboxLayout(userId);
    const messages: MessageRecord[] = [];
    const meetings: LogicalMeeting[] = [];
    /** Files this mailbox's copies of one stream's mail (see FOLDER_SHARES). */
    const file = (mails: readonly LogicalMail[], receivedKind: FilingKind, accountIndex: number): void => {
      for (const mail of mails) {
        const fromOwner = mail.from.userId === userId;
        if (mail.isDraft) {
          if (fromOwner) messages.push(new GeneratedMessage(mail, ownerHash, 'draft', layout.drafts));
          continue;
        }
        if (fromOwner) {
          const slot = folderSlot('sent', unitDraw(seedHash, ownerHash, mail.hash, 1));
          messages.push(
            new GeneratedMessage(mail, ownerHash, 'sent', slotFolder(layout, slot, accountIndex)),
          );
        }
        const received =
          mail.to.some((p) => p.userId === userId) ||
          mail.cc.some((p) => p.userId === userId) ||
          mail.bcc.some((p) => p.userId === userId);
        if (received) {
          const slot = folderSlot(receivedKind, unitDraw(seedHash, ownerHash, mail.hash, 2));
          const folder = slotFolder(layout, slot, accountIndex);
          messages.push(new GeneratedMessage(mail, ownerHash, 'received', folder));
        }
      }
    };
    const add = (activity: Activity, receivedKind: FilingKind, accountIndex = -1): void => {
      file(activity.mails, receivedKind, accountIndex);
      for (const m of activity.meetings) meetings.push(m);
    };
    for (const index of this.model.accountsByMember.get(userId) ?? []) {
      const plan = this.model.accounts[index];
      if (plan !== undefined) add(accountActivity(this.model, plan), 'customerReceived', index);
    }
    for (const index of this.model.pairsByUser.get(userId) ?? []) {
      const pair = this.model.pairs[index];
      if (pair !== undefined) add(pairActivity(this.model, pair), 'internalReceived');
    }
    add(noiseActivity(this.model, owner), 'outsideReceived');
    const busy = this.model.busyInboxes.get(userId) ?? 0;
    if (busy > 0) {
      const { dataStart, asOf } = this.model;
      for (const m of broadcastMessages(owner, ownerHash, seedHash, layout.inbox, busy, dataStart, asOf)) {
        messages.push(m);
      }
    }

    const events: EventRecord[] = [];
    for (const meeting of meetings) {
      if (meeting.organizer.userId === userId || meeting.attendees.some((a) => a.person.userId === userId)) {
        events.push(new GeneratedEvent(meeting, userId, ownerHash));
      }
    }
    messages.sort(compareMessages);
    events.sort(compareEvents);
    return { messages, events };
  }

  /**
   * The whole tenant as a fixture object (every mailbox materialised: for small tenants). Each
   * mailbox lists its folders (every generated mailbox has user folders), so the fixture serves the
   * same folder ids; each message's parentFolderId is its folder's id.
   */
  toFixture(): TenantFixture {
    const mailboxes: TenantFixture['mailboxes'] = {};
    for (const user of this.users) {
      const content = this.buildMailbox(user.id);
      mailboxes[user.id] = {
        messages: content.messages.map((m) => m.toGraph()),
        events: content.events.map((e) => e.toGraph()),
        mailFolders: this.mailFolders(user.id).map((f) => ({ ...f })),
      };
    }
    return {
      tenant: this.tenant,
      users: [...this.users],
      groups: this.groups.map((g) => ({ ...g, members: [...g.members] })),
      mailboxes,
    };
  }
}

interface AccountDraft {
  index: number;
  accountId: string;
  name: string;
  mailDomain: string;
  listedDomain: string;
  region: string;
  owner: Person;
  coSeller: Person | null;
  engineer: Person | null;
  manager: Person;
  contacts: Person[];
  profile: ActivityProfile;
  weight: number;
  activeFrom: number;
  activeUntil: number;
}

/** Generates a tenant deterministically from `seed` (and `asOf`, which defaults to today 00:00 UTC). */
export function generateTenant(input: GenerateTenantOptions): GeneratedTenant {
  const options = optionsSchema.parse(input);
  const seed = String(options.seed);
  const asOfDate = options.asOf === undefined ? startOfUtcDay(new Date()) : new Date(options.asOf);
  const asOf = asOfDate.getTime();
  const dataStart = asOf - 400 * DAY_MS;
  const sellerCount = options.sellers;
  const accountCount = options.accounts ?? sellerCount * 8;
  const internalCount = options.internalUsers ?? Math.max(6, Math.round(sellerCount * 0.2));
  const perMailbox = options.messagesPerMailbox;

  const rnd = streamRandom(seed, 'directory');
  const names = new NameBook(rnd);
  const people = new Map<string, Person>();

  // Sellers: the first is Ana Diaz (ana@fabrikam.com), as in the product's examples.
  const sellers: DirectoryUser[] = [];
  const teams: SellerTeam[] = [];
  for (let i = 0; i < sellerCount; i++) {
    const { first, last } = i === 0 ? { first: 'Ana', last: 'Diaz' } : names.person();
    const address = names.address(i === 0 ? 'ana' : `${first}.${last}`, TENANT_DOMAIN);
    const team = sellerTeam(i, rnd);
    teams.push(team);
    const seller = makeUser(seed, i, first, last, address, rnd.pick(SELLER_TITLES), 'Sales');
    sellers.push(seller);
    people.set(seller.user.id, seller.person);
  }

  const internals: DirectoryUser[] = [];
  const managerCount = Math.max(1, Math.round(internalCount * 0.4));
  const engineerCount = internalCount > 1 ? Math.max(1, Math.round(internalCount * 0.3)) : 0;
  for (let j = 0; j < internalCount; j++) {
    const role =
      j < managerCount
        ? INTERNAL_ROLES[0]
        : j < managerCount + engineerCount
          ? INTERNAL_ROLES[1]
          : INTERNAL_ROLES[2 + ((j - managerCount - engineerCount) % (INTERNAL_ROLES.length - 2))];
    const { first, last } = names.person();
    const address = names.address(`${first}.${last}`, TENANT_DOMAIN);
    const user = makeUser(
      seed,
      sellerCount + j,
      first,
      last,
      address,
      role?.title ?? '',
      role?.department ?? '',
    );
    internals.push(user);
    people.set(user.user.id, user.person);
  }
  const managers = internals.slice(0, managerCount);
  const engineers = internals.slice(managerCount, managerCount + engineerCount);
  const managerOf = (sellerIndex: number): Person => {
    const region = TEAM_REGION[teams[sellerIndex] ?? 'us'];
    const regional = managers.filter((_, j) => j % 3 === region);
    const pool = regional.length > 0 ? regional : managers;
    return (pool[sellerIndex % pool.length] ?? managers[0])?.person as Person;
  };

  // Groups: US Sales (with the nested US Sales West), EMEA Sales, Partner Sales.
  const groupId = (team: SellerTeam): string => deterministicGuid(seed, 'group', team);
  const membersOf = (team: SellerTeam): string[] =>
    sellers.filter((_, i) => teams[i] === team).map((s) => s.user.id);
  const partnerMembers = membersOf('partner');
  const dualMember = sellers[1];
  if (dualMember !== undefined && teams[1] === 'usWest') partnerMembers.push(dualMember.user.id);
  const group = (team: SellerTeam, members: string[]): FixtureGroup => ({
    id: groupId(team),
    displayName: TEAM_GROUPS[team].displayName,
    mail: `${TEAM_GROUPS[team].mail}@${TENANT_DOMAIN}`,
    mailEnabled: true,
    securityEnabled: false,
    groupTypes: [],
    description: `${TEAM_GROUPS[team].displayName} team`,
    members,
  });
  const groups: FixtureGroup[] = [
    group('us', [...membersOf('us'), groupId('usWest')]),
    group('usWest', membersOf('usWest')),
    group('emea', membersOf('emea')),
    group('partner', partnerMembers),
  ];

  // Colleague pairs: neighbours in the same team, and each seller with their manager.
  const pairDrafts: { key: string; a: Person; b: Person; kind: 'peer' | 'manager' }[] = [];
  const pairKeys = new Set<string>();
  for (const team of Object.keys(TEAM_GROUPS) as SellerTeam[]) {
    const members = sellers.filter((_, i) => teams[i] === team);
    for (let k = 0; k < members.length; k++) {
      for (const step of [1, 2]) {
        if (members.length <= step) continue;
        const a = members[k]?.person;
        const b = members[(k + step) % members.length]?.person;
        if (a === undefined || b === undefined || a === b) continue;
        const [x, y] = a.address < b.address ? [a, b] : [b, a];
        const key = `peer:${x.address}|${y.address}`;
        if (pairKeys.has(key)) continue;
        pairKeys.add(key);
        pairDrafts.push({ key, a: x, b: y, kind: 'peer' });
      }
    }
  }
  sellers.forEach((seller, i) => {
    const manager = managerOf(i);
    pairDrafts.push({
      key: `manager:${seller.person.address}|${manager.address}`,
      a: seller.person,
      b: manager,
      kind: 'manager',
    });
  });
  const pairsPerSeller = (2 * pairDrafts.filter((p) => p.kind === 'peer').length) / sellerCount + 1;
  const pairThreads = (0.25 * perMailbox) / pairsPerSeller / MEAN_THREAD_LENGTH;
  const pairs: PairPlan[] = pairDrafts.map((p) => ({ ...p, expectedThreads: pairThreads }));

  // Accounts and their contacts.
  const accountRnd = streamRandom(seed, 'accounts');
  const accountNameList = accountNames(accountRnd, accountCount);
  const domains = new Set<string>();
  const sellerOrder = accountRnd.sample(
    sellers.map((_, i) => i),
    sellers.length,
  );
  const drafts: AccountDraft[] = [];
  const contactRows: CustomerContact[] = [];
  let contactSeq = 0;
  const addContact = (
    draft: AccountDraft,
    person: Person,
    first: string,
    last: string,
    title: string,
  ): void => {
    draft.contacts.push(person);
    contactSeq++;
    contactRows.push({
      ContactId: `CT-${String(contactSeq).padStart(6, '0')}`,
      AccountId: draft.accountId,
      Email: person.address,
      FirstName: first,
      LastName: last,
      JobTitle: title,
    });
  };

  for (let i = 0; i < accountCount; i++) {
    const ownerIndex = i === 0 ? 0 : (sellerOrder[i % sellerOrder.length] ?? 0);
    const owner = sellers[ownerIndex];
    if (owner === undefined) throw new Error('no seller to own an account');
    const region = TEAM_REGION[teams[ownerIndex] ?? 'us'];
    const name = accountNameList[i] ?? `Account ${i + 1}`;
    const mailDomain = domainFor(name, region, accountRnd, domains);
    const others = sellers.filter((s) => s !== owner);
    const coSeller =
      (i === 0 || accountRnd.chance(0.3)) && others.length > 0 ? accountRnd.pick(others).person : null;
    const engineer =
      engineers.length > 0 && accountRnd.chance(0.15) ? accountRnd.pick(engineers).person : null;
    let profile: ActivityProfile;
    let weight: number;
    const roll = accountRnd.next();
    if (i === 0) {
      profile = 'busy';
      weight = 8;
    } else if (roll < 0.15) {
      profile = 'silent';
      weight = 0;
    } else {
      weight = accountRnd.logNormal(1, 1.2);
      profile = roll < 0.27 ? 'stale' : weight > 3 ? 'busy' : weight < 0.45 ? 'quiet' : 'active';
    }
    const activeFrom =
      i !== 0 && accountRnd.chance(0.2) ? dataStart + accountRnd.next() * 200 * DAY_MS : dataStart;
    const activeUntil =
      profile === 'stale'
        ? Math.max(activeFrom + 30 * DAY_MS, asOf - accountRnd.int(60, 220) * DAY_MS)
        : asOf;
    const draft: AccountDraft = {
      index: i,
      accountId: `AC-${String(i + 1).padStart(5, '0')}`,
      name,
      mailDomain,
      listedDomain: i !== 0 && accountRnd.chance(0.04) ? '' : mailDomain,
      region: REGION_NAMES[region] ?? 'Americas',
      owner: owner.person,
      coSeller,
      engineer,
      manager: managerOf(ownerIndex),
      contacts: [],
      profile,
      weight,
      activeFrom,
      activeUntil: profile === 'stale' ? Math.min(activeUntil, asOf - 60 * DAY_MS) : activeUntil,
    };
    const contactCount =
      i === 0
        ? 8
        : profile === 'silent'
          ? accountRnd.int(1, 3)
          : Math.min(12, 1 + accountRnd.poisson(0.8 + 1.5 * Math.sqrt(weight)));
    const subdomain =
      i === 0 ? 'uk' : accountRnd.chance(0.1) ? accountRnd.pick(['eu', 'us', 'uk', 'corp']) : null;
    for (let c = 0; c < contactCount; c++) {
      const { first, last } = names.person();
      const isPublic = i === 0 ? c === 5 : accountRnd.chance(0.07);
      const useSubdomain = subdomain !== null && (i === 0 ? c === 6 : accountRnd.chance(0.3));
      const domain = isPublic
        ? accountRnd.pick(PUBLIC_MAIL_DOMAINS)
        : useSubdomain
          ? `${subdomain}.${mailDomain}`
          : mailDomain;
      const local = isPublic ? `${first}.${last}${accountRnd.int(1, 99)}` : `${first}.${last}`;
      const address = names.address(local, domain);
      addContact(
        draft,
        { name: `${first} ${last}`, address, userId: null },
        first,
        last,
        accountRnd.pick(CONTACT_TITLES),
      );
    }
    drafts.push(draft);
  }

  // Consultants listed as explicit contacts of two accounts (public mail domains).
  // Only between accounts with current activity, so a shared contact never revives a stale or silent one.
  const lively = drafts
    .filter((d) => d.index > 0 && d.profile !== 'stale' && d.profile !== 'silent')
    .map((d) => d.index);
  const sharedPairs: [number, number][] = lively[0] !== undefined ? [[0, lively[0]]] : [];
  for (let k = 0; k < Math.floor(accountCount / 200) && lively.length >= 2; k++) {
    const [x, y] = accountRnd.sample(lively, 2);
    if (x !== undefined && y !== undefined) sharedPairs.push([x, y]);
  }
  for (const [x, y] of sharedPairs) {
    const { first, last } = names.person();
    const address = names.address(`${first}.${last}.consulting`, accountRnd.pick(PUBLIC_MAIL_DOMAINS));
    const person: Person = { name: `${first} ${last}`, address, userId: null };
    for (const index of [x, y]) {
      const draft = drafts[index];
      if (draft !== undefined) addContact(draft, person, first, last, 'Consultant');
    }
  }

  // Activity budgets: 60% of a seller's mailbox is account mail, 25% internal, 15% outside noise.
  const span = asOf - dataStart;
  const rateSum = drafts.reduce((sum, d) => sum + (d.weight * (d.activeUntil - d.activeFrom)) / span, 0);
  const threadBudget = (0.6 * perMailbox * sellerCount) / MEAN_THREAD_LENGTH;
  const planRnd = streamRandom(seed, 'plans');
  const planned: AccountPlan[] = drafts.map((d) => {
    const expectedThreads =
      rateSum > 0 ? (threadBudget * d.weight * ((d.activeUntil - d.activeFrom) / span)) / rateSum : 0;
    const seriesChance = { busy: 0.6, active: 0.15, quiet: 0, stale: 0.1, silent: 0 }[d.profile];
    const futureChance = { busy: 0.6, active: 0.25, quiet: 0.1, stale: 0, silent: 0 }[d.profile];
    return {
      ...d,
      expectedThreads,
      expectedMeetings: d.profile === 'silent' ? 0 : Math.max(0.3, expectedThreads / 8),
      hasSeries: d.index === 0 || planRnd.chance(seriesChance),
      hasFutureMeeting: d.index === 0 || planRnd.chance(futureChance),
      unansweredSince: null,
    };
  });
  const unanswered = unansweredPlans(
    seed,
    asOf,
    planned,
    new Set(sharedPairs.flat()),
    options.unansweredAccounts,
    sellers[0]?.person ?? null,
  );
  const plans = planned.map((plan) => {
    const since = unanswered.get(plan.index);
    return since === undefined ? plan : { ...plan, unansweredSince: since };
  });

  const accountsByMember = new Map<string, Set<number>>();
  const join = (person: Person | null, index: number): void => {
    if (person?.userId == null) return;
    const set = accountsByMember.get(person.userId) ?? new Set<number>();
    set.add(index);
    accountsByMember.set(person.userId, set);
  };
  for (const plan of plans) {
    join(plan.owner, plan.index);
    join(plan.coSeller, plan.index);
    join(plan.engineer, plan.index);
    join(plan.manager, plan.index);
  }
  const pairsByUser = new Map<string, number[]>();
  pairs.forEach((pair, index) => {
    for (const person of [pair.a, pair.b]) {
      if (person.userId === null) continue;
      const list = pairsByUser.get(person.userId) ?? [];
      list.push(index);
      pairsByUser.set(person.userId, list);
    }
  });

  // Busy inboxes: sellers spread evenly from the first (Ana), one in 50 by default.
  const busyCount = Math.min(sellerCount, options.busyInboxes ?? Math.max(1, Math.round(sellerCount / 50)));
  const busyInboxes = new Map<string, number>();
  for (let k = 0; k < busyCount && options.busyInboxMessages > 0; k++) {
    const seller = sellers[Math.floor((k * sellerCount) / busyCount)];
    if (seller !== undefined) busyInboxes.set(seller.user.id, options.busyInboxMessages);
  }

  const model: TenantModel = {
    seed,
    asOf,
    dataStart,
    accounts: plans,
    pairs,
    accountsByMember: new Map([...accountsByMember].map(([k, v]) => [k, [...v].sort((a, b) => a - b)])),
    pairsByUser,
    people,
    noisePerMailbox: 0.15 * perMailbox,
    seedHash: hashString(seed),
    busyInboxes,
  };

  const customers: CustomerDataset = {
    accounts: plans.map((p) => ({
      AccountId: p.accountId,
      Name: p.name,
      Domain: p.listedDomain,
      OwnerEmail: p.owner.address,
    })),
    contacts: contactRows,
  };

  return new GeneratedTenant(
    model,
    {
      tenant: {
        id: deterministicGuid(seed, 'tenant'),
        displayName: 'Fabrikam',
        verifiedDomains: [TENANT_DOMAIN],
      },
      users: [...sellers, ...internals].map((u) => u.user),
      groups,
      sellers: sellers.map((s) => s.user),
      internalUsers: internals.map((u) => u.user),
      customers,
    },
    options.mailboxCacheSize,
  );
}

/** How many accounts of a tenant of this size stop answering: one in 50 (6 of the demo's 300). */
export function unansweredShare(accounts: number): number {
  return Math.round(accounts / 50);
}

/**
 * Picks the accounts that stop answering, and since when: lively accounts with activity all year,
 * enough of it that they wrote before (Contoso and accounts sharing a contact excluded: a shared
 * consultant writing for the other account would be writing for this one too). The first is one
 * of the first seller's (Ana's), so her "unanswered accounts" has one of her own. Drawn from a
 * stream of their own, so every other account's plan and activity stay as they were.
 */
function unansweredPlans(
  seed: string,
  asOf: number,
  plans: readonly AccountPlan[],
  sharing: ReadonlySet<number>,
  count: number,
  firstSeller: Person | null,
): Map<number, number> {
  const chosen = new Map<number, number>();
  if (count === 0) return chosen;
  const rnd = streamRandom(seed, 'unanswered');
  const eligible = plans.filter(
    (plan) =>
      plan.index > 0 &&
      (plan.profile === 'active' || plan.profile === 'busy') &&
      plan.activeFrom < asOf - 300 * DAY_MS &&
      plan.expectedThreads >= 4 &&
      !sharing.has(plan.index),
  );
  const own = eligible.filter((plan) => plan.owner.address === firstSeller?.address);
  const first = own.length > 0 ? [rnd.pick(own)] : [];
  const rest = rnd.sample(
    eligible.filter((plan) => !first.includes(plan)),
    Math.max(0, count - first.length),
  );
  for (const plan of [...first, ...rest]) {
    chosen.set(plan.index, asOf - rnd.int(31, 42) * DAY_MS);
  }
  return chosen;
}

export interface DemoTenantOptions {
  seed?: number | string;
  asOf?: Date | string;
  messagesPerMailbox?: number;
  /** Sellers with a busy inbox (default 1: Ana Diaz, 5,500 broadcasts in the window). */
  busyInboxes?: number;
  /** Accounts that stopped answering their sellers (default 6, one in 50; the first is Ana's). */
  unansweredAccounts?: number;
}

/**
 * The demo tenant: 40 tracked sellers in 3 sales groups, 300 accounts, 8 internal colleagues; Ana
 * Diaz has a busy inbox (more than 5,000 messages in her Inbox in the window); 6 accounts, one of
 * them Ana's, stopped answering a month or more ago while their sellers kept writing.
 */
export function demoTenant(options: DemoTenantOptions = {}): GeneratedTenant {
  return generateTenant({
    seed: options.seed ?? 42,
    sellers: 40,
    accounts: 300,
    internalUsers: 8,
    messagesPerMailbox: options.messagesPerMailbox ?? 400,
    busyInboxes: options.busyInboxes ?? 1,
    unansweredAccounts: options.unansweredAccounts ?? unansweredShare(300),
    ...(options.asOf !== undefined ? { asOf: options.asOf } : {}),
  });
}
