import assert from 'node:assert/strict';
import type {
  GraphEvent,
  GraphMessage,
  MailFolder,
  TenantFixture,
} from '../../local/graph-simulator/fixture-schema';
import { parseTenantFixture, utcLocalToEpoch } from '../../local/graph-simulator/fixture-schema';
import { demoTenant, generateTenant, type GeneratedTenant } from '../../local/graph-simulator/generator';
import {
  isWellKnownFolderName,
  rootFolderId,
  wellKnownFolderId,
  type WellKnownFolderName,
} from '../../local/graph-simulator/mail-folders';
import { BROADCAST_SENDERS, PUBLIC_MAIL_DOMAINS } from '../../local/graph-simulator/tenant-names';
import { fixtureTenantSource } from '../../local/graph-simulator/tenant-source';

const AS_OF = '2026-11-01T00:00:00Z';
const asOf = Date.parse(AS_OF);
const DAY = 86_400_000;

function domainOf(address: string): string {
  return address.slice(address.indexOf('@') + 1).toLowerCase();
}

function participants(message: GraphMessage): string[] {
  return [message.from, ...message.toRecipients, ...message.ccRecipients, ...message.bccRecipients]
    .filter((r) => r !== null && r !== undefined)
    .map((r) => r.emailAddress.address.toLowerCase());
}

const BROADCAST_ADDRESSES = new Set(BROADCAST_SENDERS.map((s) => s.address));

/** A busy inbox's newsletter, notification or internal broadcast. */
function isBroadcast(message: GraphMessage): boolean {
  return BROADCAST_ADDRESSES.has(message.from?.emailAddress.address.toLowerCase() ?? '');
}

/** Well-known folders whose mail never counts (engagement-metrics.md, "Which activity counts"). */
const NOT_COUNTED: readonly WellKnownFolderName[] = [
  'junkemail',
  'drafts',
  'outbox',
  'conversationhistory',
  'syncissues',
];

/** For each folder id, the well-known folder it is or lies under (undefined: a top-level user folder). */
function wellKnownAncestors(folders: readonly MailFolder[]): Map<string, string | undefined> {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const out = new Map<string, string | undefined>();
  for (const start of folders) {
    let folder: MailFolder | undefined = start;
    while (folder !== undefined && folder.wellKnownName === undefined) {
      folder = byId.get(folder.parentFolderId ?? '');
    }
    out.set(start.id, folder?.wellKnownName);
  }
  return out;
}

/** How many folders lie between a folder and the given ancestor (1: a direct child); -1 if not under it. */
function depthUnder(folders: readonly MailFolder[], folderId: string, ancestorId: string): number {
  const byId = new Map(folders.map((f) => [f.id, f]));
  let depth = 0;
  let folder = byId.get(folderId);
  while (folder !== undefined && folder.id !== ancestorId) {
    depth++;
    folder = byId.get(folder.parentFolderId ?? '');
  }
  return folder === undefined ? -1 : depth;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

describe('tenant generator', function () {
  this.timeout(30_000);
  let demo: GeneratedTenant;
  let fixture: TenantFixture;
  /** Every message copy of the demo tenant with its mailbox. */
  let copies: { owner: string; message: GraphMessage }[];
  /** One copy per internetMessageId, non-drafts only. */
  let unique: GraphMessage[];
  let events: { owner: string; event: GraphEvent }[];

  before(() => {
    demo = demoTenant({ asOf: AS_OF });
    fixture = demo.toFixture();
    copies = Object.entries(fixture.mailboxes).flatMap(([owner, box]) =>
      box.messages.map((message) => ({ owner, message })),
    );
    const seen = new Map<string, GraphMessage>();
    for (const { message } of copies) {
      if (!message.isDraft && message.internetMessageId && !seen.has(message.internetMessageId)) {
        seen.set(message.internetMessageId, message);
      }
    }
    unique = [...seen.values()];
    events = Object.entries(fixture.mailboxes).flatMap(([owner, box]) =>
      box.events.map((event) => ({ owner, event })),
    );
  });

  describe('determinism', () => {
    it('produces the same tenant from the same seed and asOf', () => {
      const again = demoTenant({ asOf: AS_OF });
      assert.deepEqual(again.users, demo.users);
      assert.deepEqual(again.groups, demo.groups);
      assert.deepEqual(again.customers, demo.customers);
      const ana = demo.sellers[0];
      assert.ok(ana);
      const one = demo.buildMailbox(ana.id);
      const two = again.buildMailbox(ana.id);
      assert.deepEqual(
        one.messages.map((m) => m.toGraph()),
        two.messages.map((m) => m.toGraph()),
      );
      assert.deepEqual(
        one.events.map((e) => e.toGraph()),
        two.events.map((e) => e.toGraph()),
      );
      assert.deepEqual(again.mailFolders(ana.id), demo.mailFolders(ana.id));
      for (const seller of demo.sellers.slice(1, 6)) {
        assert.deepEqual(
          again.buildMailbox(seller.id).messages.map((m) => [m.id, m.parentFolderId]),
          demo.buildMailbox(seller.id).messages.map((m) => [m.id, m.parentFolderId]),
          'folders are drawn from (seed, user, message)',
        );
      }
    });

    it('produces a different tenant from another seed', () => {
      const other = demoTenant({ asOf: AS_OF, seed: 7 });
      assert.notDeepEqual(
        other.users.map((u) => u.id),
        demo.users.map((u) => u.id),
      );
      assert.notDeepEqual(other.customers.contacts, demo.customers.contacts);
    });

    it('validates its options', () => {
      assert.throws(() => generateTenant({ sellers: 1, asOf: AS_OF }));
      assert.throws(() => generateTenant({ sellers: 10, accounts: 0, asOf: AS_OF }));
    });
  });

  describe('the demo tenant', () => {
    it('is quick to generate', () => {
      const started = Date.now();
      const tenant = demoTenant({ asOf: AS_OF });
      const ana = tenant.sellers[0];
      assert.ok(ana);
      tenant.mailbox(ana.id);
      assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
    });

    it('has Fabrikam, 40 sellers in 3 sales groups (one nested) and 300 accounts', () => {
      assert.deepEqual(demo.tenant.verifiedDomains, ['fabrikam.com']);
      assert.equal(demo.tenant.displayName, 'Fabrikam');
      assert.equal(demo.sellers.length, 40);
      assert.ok(demo.internalUsers.length > 0);
      assert.equal(demo.customers.accounts.length, 300);
      const byName = new Map(demo.groups.map((g) => [g.displayName, g]));
      const us = byName.get('US Sales');
      const west = byName.get('US Sales West');
      assert.ok(us && west && byName.has('EMEA Sales') && byName.has('Partner Sales'));
      assert.ok(us.members.includes(west.id), 'US Sales contains US Sales West');
      const sellerIds = new Set(demo.sellers.map((s) => s.id));
      const inGroups = new Set(demo.groups.flatMap((g) => g.members.filter((m) => sellerIds.has(m))));
      assert.equal(inGroups.size, 40, 'every seller is in a sales group');
      const internal = new Set(demo.internalUsers.map((u) => u.id));
      assert.ok(
        demo.groups.every((g) => g.members.every((m) => !internal.has(m))),
        'colleagues are not tracked',
      );
      assert.equal(demo.sellers[0]?.mail, 'ana@fabrikam.com');
    });

    it('gives every seller a mailbox of about messagesPerMailbox messages, besides busy-inbox noise', () => {
      const sizes = demo.sellers.map(
        (s) => fixture.mailboxes[s.id]?.messages.filter((m) => !isBroadcast(m)).length ?? 0,
      );
      const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
      assert.ok(mean > 300 && mean < 520, `mean ${mean}`);
      assert.ok(sizes.every((n) => n > 0));
      const noisy = demo.sellers.filter((s) => fixture.mailboxes[s.id]?.messages.some(isBroadcast));
      assert.deepEqual(
        noisy.map((s) => s.mail),
        ['ana@fabrikam.com'],
        'only Ana has a busy inbox',
      );
    });

    it('lists messages in sentDateTime order', () => {
      const ana = demo.sellers[0];
      assert.ok(ana);
      const sent = demo.mailbox(ana.id).messages.map((m) => m.sent);
      assert.deepEqual(
        sent,
        [...sent].sort((a, b) => (a ?? 0) - (b ?? 0)),
      );
    });
  });

  describe('customers', () => {
    it('includes a well-engaged Contoso Ltd at contoso.com, owned by Ana', () => {
      const contoso = demo.customers.accounts.find((a) => a.Name === 'Contoso Ltd');
      assert.ok(contoso);
      assert.equal(contoso.Domain, 'contoso.com');
      assert.equal(contoso.OwnerEmail, 'ana@fabrikam.com');
      const contacts = demo.customers.contacts.filter((c) => c.AccountId === contoso.AccountId);
      assert.ok(contacts.length >= 8);
      assert.ok(
        contacts.some((c) => PUBLIC_MAIL_DOMAINS.includes(domainOf(c.Email))),
        'a contact on a public domain',
      );
      assert.ok(
        contacts.some((c) => domainOf(c.Email) === 'uk.contoso.com'),
        'a contact on a subdomain',
      );
      const emails = new Set(contacts.map((c) => c.Email.toLowerCase()));
      const withContoso = unique.filter((m) =>
        participants(m).some((p) => emails.has(p) || domainOf(p).endsWith('contoso.com')),
      );
      const fromContoso = withContoso.filter((m) =>
        domainOf(m.from?.emailAddress.address ?? '').endsWith('contoso.com'),
      );
      const toContoso = withContoso.filter(
        (m) => domainOf(m.from?.emailAddress.address ?? '') === 'fabrikam.com',
      );
      assert.ok(
        fromContoso.length >= 25 && toContoso.length >= 25,
        `${fromContoso.length} from, ${toContoso.length} to`,
      );
      const meetings = events.filter(({ event }) =>
        [event.organizer, ...event.attendees].some(
          (p) => p && domainOf(p.emailAddress.address).endsWith('contoso.com'),
        ),
      );
      assert.ok(meetings.length >= 5);
      assert.ok(
        meetings.some(({ event }) => utcLocalToEpoch(event.start.dateTime) >= asOf),
        'an upcoming meeting',
      );
    });

    it('has contacts on public mail domains, and a contact listed under two accounts', () => {
      const publicContacts = demo.customers.contacts.filter((c) =>
        PUBLIC_MAIL_DOMAINS.includes(domainOf(c.Email)),
      );
      assert.ok(publicContacts.length >= 5);
      const accountsByEmail = new Map<string, Set<string>>();
      for (const c of demo.customers.contacts) {
        const set = accountsByEmail.get(c.Email) ?? new Set<string>();
        set.add(c.AccountId);
        accountsByEmail.set(c.Email, set);
      }
      assert.ok([...accountsByEmail.values()].some((s) => s.size >= 2));
      assert.equal(
        new Set(demo.customers.contacts.map((c) => c.ContactId)).size,
        demo.customers.contacts.length,
      );
    });

    it('has a long tail: busy accounts, silent ones, and stale ones quiet for 60+ days', () => {
      const accountOf = new Map<string, string[]>();
      for (const c of demo.customers.contacts) {
        const list = accountOf.get(c.Email.toLowerCase()) ?? [];
        list.push(c.AccountId);
        accountOf.set(c.Email.toLowerCase(), list);
      }
      const counts = new Map<string, number>(demo.customers.accounts.map((a) => [a.AccountId, 0]));
      const last = new Map<string, number>();
      for (const message of unique) {
        const accounts = new Set(participants(message).flatMap((p) => accountOf.get(p) ?? []));
        for (const id of accounts) {
          counts.set(id, (counts.get(id) ?? 0) + 1);
          last.set(id, Math.max(last.get(id) ?? 0, Date.parse(message.sentDateTime ?? '')));
        }
      }
      const sorted = [...counts.values()].sort((a, b) => b - a);
      const total = sorted.reduce((a, b) => a + b, 0);
      const top = sorted.slice(0, 30).reduce((a, b) => a + b, 0);
      assert.ok(top / total > 0.35, `top 10% hold ${((100 * top) / total).toFixed(0)}%`);
      assert.ok(sorted.filter((n) => n === 0).length >= 20, 'silent accounts');
      const stale = demo.accounts.filter((a) => a.profile === 'stale');
      assert.ok(stale.length >= 10);
      const staleWithMail = stale.filter((a) => (counts.get(a.accountId) ?? 0) > 0);
      assert.ok(staleWithMail.length >= 5);
      for (const account of staleWithMail) {
        assert.ok(
          (last.get(account.accountId) ?? 0) < asOf - 60 * DAY,
          `${account.name} is quiet for 60+ days`,
        );
      }
    });

    it('has a few accounts that stopped answering: mail to them in the last 30 days and none from them', () => {
      const unanswered = demo.accounts.filter((a) => a.unansweredSince !== null);
      assert.equal(unanswered.length, 6, 'one account in 50');
      assert.ok(!unanswered.some((a) => a.accountId === 'AC-00001'), 'not Contoso');
      assert.equal(unanswered.filter((a) => a.ownerEmail === 'ana@fabrikam.com').length, 1, "one is Ana's");
      const domains = new Map(demo.customers.accounts.map((a) => [a.AccountId, a.Domain.toLowerCase()]));
      for (const account of unanswered) {
        const since = Date.parse(account.unansweredSince ?? '');
        assert.ok(since <= asOf - 31 * DAY && since >= asOf - 42 * DAY, account.unansweredSince ?? '');
        const emails = new Set(
          demo.customers.contacts
            .filter((c) => c.AccountId === account.accountId)
            .map((c) => c.Email.toLowerCase()),
        );
        const domain = domains.get(account.accountId) ?? '';
        const isPerson = (address: string) =>
          emails.has(address) ||
          (domain !== '' && (domainOf(address) === domain || domainOf(address).endsWith(`.${domain}`)));
        // The contract's Unanswered, on the generated mail: 3+ emails to the account in [T − 30 d, T),
        // none from it there, and at least one from it earlier in the window.
        let toRecent = 0;
        let fromRecent = 0;
        let fromEarlier = 0;
        for (const message of unique) {
          const sent = Date.parse(message.sentDateTime ?? '');
          if (sent < asOf - 365 * DAY) continue;
          const from = message.from?.emailAddress.address.toLowerCase() ?? '';
          const others = participants(message).filter((p) => p !== from);
          if (isPerson(from) && others.some((p) => domainOf(p) === 'fabrikam.com')) {
            if (sent >= asOf - 30 * DAY) fromRecent++;
            else fromEarlier++;
            assert.ok(sent < since, `${account.name} wrote after it stopped answering`);
          } else if (domainOf(from) === 'fabrikam.com' && others.some(isPerson) && sent >= asOf - 30 * DAY) {
            toRecent++;
          }
        }
        assert.ok(toRecent >= 3, `${account.name}: ${toRecent} emails to it in the last 30 days`);
        assert.equal(fromRecent, 0, `${account.name}: emails from it in the last 30 days`);
        assert.ok(fromEarlier >= 1, `${account.name} wrote earlier in the window`);
        const met = events.filter(
          ({ event }) =>
            utcLocalToEpoch(event.start.dateTime) >= since &&
            [event.organizer, ...event.attendees].some(
              (p) => p && isPerson(p.emailAddress.address.toLowerCase()),
            ),
        );
        assert.deepEqual(met, [], `${account.name} meets no one after it stopped answering`);
      }
    });

    it('keeps every other account as it was: the unanswered ones come from a stream of their own', () => {
      const unanswered = new Set(
        demo.accounts.filter((a) => a.unansweredSince !== null).map((a) => a.accountId),
      );
      const persons = new Set(
        demo.customers.contacts.filter((c) => unanswered.has(c.AccountId)).map((c) => c.Email.toLowerCase()),
      );
      const domains = demo.customers.accounts
        .filter((a) => unanswered.has(a.AccountId) && a.Domain !== '')
        .map((a) => a.Domain.toLowerCase());
      const involved = (m: GraphMessage) =>
        participants(m).some(
          (p) => persons.has(p) || domains.some((d) => domainOf(p) === d || domainOf(p).endsWith(`.${d}`)),
        );
      const ids = (messages: readonly GraphMessage[]) =>
        messages
          .filter((m) => !involved(m))
          .map((m) => m.internetMessageId)
          .sort();
      const without = demoTenant({ asOf: AS_OF, unansweredAccounts: 0 });
      assert.ok(without.accounts.every((a) => a.unansweredSince === null));
      assert.deepEqual(without.customers, demo.customers);
      const withoutMessages = Object.values(without.toFixture().mailboxes).flatMap((box) => box.messages);
      assert.deepEqual(ids(copies.map((c) => c.message)), ids(withoutMessages));
      assert.ok(
        generateTenant({ seed: 42, sellers: 40, accounts: 300, asOf: AS_OF }).accounts.every(
          (a) => a.unansweredSince === null,
        ),
        'none unless asked',
      );
    });
  });

  describe('mail', () => {
    it('keeps a year and a little more of mail, all before asOf', () => {
      const times = copies.map(({ message }) => Date.parse(message.sentDateTime ?? ''));
      assert.ok(times.every((t) => t < asOf && t >= asOf - 400 * DAY));
      assert.ok(
        times.some((t) => t < asOf - 365 * DAY),
        'some mail is older than the window',
      );
    });

    it('has threads with replies in both directions and realistic reply delays', () => {
      const threads = new Map<string, GraphMessage[]>();
      for (const message of unique) {
        const list = threads.get(message.conversationId ?? '') ?? [];
        list.push(message);
        threads.set(message.conversationId ?? '', list);
      }
      const delays: number[] = [];
      let bothWays = 0;
      for (const thread of threads.values()) {
        thread.sort((a, b) => Date.parse(a.sentDateTime ?? '') - Date.parse(b.sentDateTime ?? ''));
        const domains = new Set(
          thread.map((m) => domainOf(m.from?.emailAddress.address ?? '') === 'fabrikam.com'),
        );
        if (domains.size === 2) bothWays++;
        for (let i = 1; i < thread.length; i++) {
          delays.push(
            Date.parse(thread[i]?.sentDateTime ?? '') - Date.parse(thread[i - 1]?.sentDateTime ?? ''),
          );
        }
      }
      assert.ok(bothWays >= 100, `${bothWays} threads with replies both ways`);
      const hours = median(delays) / 3_600_000;
      assert.ok(hours > 1 && hours < 24, `median reply delay ${hours.toFixed(1)} h`);
      assert.ok(unique.some((m) => m.subject?.startsWith('RE: ')));
    });

    it('puts the same message in several mailboxes: sent items and inboxes', () => {
      const byId = new Map<string, { owner: string; folder: string }[]>();
      for (const { owner, message } of copies) {
        if (message.isDraft || !message.internetMessageId) continue;
        const list = byId.get(message.internetMessageId) ?? [];
        list.push({ owner, folder: message.parentFolderId ?? '' });
        byId.set(message.internetMessageId, list);
      }
      const shared = [...byId.values()].filter((list) => list.length >= 2);
      assert.ok(shared.length >= 100);
      assert.ok(
        shared.some(
          (list) =>
            list.some((c) => c.folder === wellKnownFolderId(c.owner, 'sentitems')) &&
            list.some((c) => c.folder === wellKnownFolderId(c.owner, 'inbox')),
        ),
      );
      const ids = copies.map(({ message }) => message.id);
      assert.equal(new Set(ids).size, ids.length, 'Graph ids are unique');
    });

    it('has drafts, cc, bcc, internal-only mail and unknown external senders', () => {
      const drafts = copies.filter(({ message }) => message.isDraft);
      assert.ok(drafts.length > 0);
      assert.ok(
        drafts.every(({ owner, message }) => message.parentFolderId === wellKnownFolderId(owner, 'drafts')),
      );
      assert.ok(unique.some((m) => m.ccRecipients.length > 0));
      assert.ok(copies.some(({ message }) => message.bccRecipients.length > 0));
      assert.ok(
        unique.some((m) => participants(m).every((p) => domainOf(p) === 'fabrikam.com')),
        'internal-only mail',
      );
      const known = new Set(demo.customers.accounts.map((a) => a.Domain).filter((d) => d !== ''));
      const strangers = unique.filter((m) => {
        const domain = domainOf(m.from?.emailAddress.address ?? '');
        return (
          domain !== 'fabrikam.com' &&
          !PUBLIC_MAIL_DOMAINS.includes(domain) &&
          ![...known].some((d) => domain.endsWith(d))
        );
      });
      assert.ok(strangers.length > 50);
    });

    it('carries subject, body and bodyPreview so tests can prove they are never requested', () => {
      const sample = copies[0]?.message;
      assert.ok(sample?.subject && sample.body?.content && sample.bodyPreview);
      const event = events[0]?.event;
      assert.ok(event?.subject && event.body?.content);
    });
  });

  describe('meetings', () => {
    it('has recurring series as occurrences with their own iCalUIds, an exception, cancellations and all-day events', () => {
      const series = new Map<string, GraphEvent[]>();
      for (const { owner, event } of events) {
        if (event.seriesMasterId === null) continue;
        const key = `${owner}|${event.seriesMasterId}`;
        const list = series.get(key) ?? [];
        list.push(event);
        series.set(key, list);
      }
      const long = [...series.values()].filter((list) => list.length >= 6);
      assert.ok(long.length > 0);
      for (const list of long) {
        assert.equal(
          new Set(list.map((e) => e.iCalUId)).size,
          list.length,
          'distinct iCalUId per occurrence',
        );
        assert.ok(list.every((e) => e.type === 'occurrence' || e.type === 'exception'));
      }
      assert.ok(events.some(({ event }) => event.type === 'exception'));
      assert.ok(events.some(({ event }) => event.isCancelled));
      assert.ok(
        events.some(({ event }) => event.isAllDay && event.start.dateTime.endsWith('T00:00:00.0000000')),
      );
      assert.ok(events.some(({ event }) => event.type === 'singleInstance'));
    });

    it('marks a few customer meetings private or confidential, alike in every calendar that holds them', () => {
      const sensitivities = new Map<string, Set<unknown>>();
      for (const { event } of events) {
        const seen = sensitivities.get(event.iCalUId) ?? new Set<unknown>();
        seen.add(event['sensitivity']);
        sensitivities.set(event.iCalUId, seen);
      }
      const meetings = [...sensitivities.values()];
      assert.ok(meetings.every((seen) => seen.size === 1));
      const count = (value: string) => meetings.filter((seen) => seen.has(value)).length;
      assert.ok(count('private') >= 3, `${count('private')} private`);
      assert.ok(count('confidential') >= 1, `${count('confidential')} confidential`);
      assert.ok(count('private') + count('confidential') < meetings.length / 10, 'only a few');
      assert.ok(count('normal') > meetings.length / 2);
    });

    it('puts a meeting in each participant calendar, and has a few meetings after asOf', () => {
      const calendars = new Map<string, Set<string>>();
      for (const { owner, event } of events) {
        const set = calendars.get(event.iCalUId) ?? new Set<string>();
        set.add(owner);
        calendars.set(event.iCalUId, set);
      }
      assert.ok([...calendars.values()].some((owners) => owners.size >= 2));
      const future = events.filter(({ event }) => utcLocalToEpoch(event.start.dateTime) >= asOf);
      assert.ok(future.length > 0);
      assert.ok(future.length < events.length / 5, 'only a few');
    });
  });

  describe('mail folders', () => {
    /** Lowercase contact emails and listed account domains of the demo's customer dataset. */
    let contactEmails: Set<string>;
    let accountDomains: string[];
    const isAccountPerson = (address: string): boolean => {
      const domain = domainOf(address);
      return (
        contactEmails.has(address) || accountDomains.some((d) => domain === d || domain.endsWith(`.${d}`))
      );
    };
    const isCustomerMail = (message: GraphMessage): boolean => participants(message).some(isAccountPerson);

    /** Per mailbox: the well-known folder each folder is or lies under; and the owner's address. */
    const ancestors = new Map<string, Map<string, string | undefined>>();
    const ownerMail = new Map<string, string>();
    const wellKnownOf = (owner: string, message: GraphMessage): string | undefined =>
      ancestors.get(owner)?.get(message.parentFolderId ?? '');
    const sentByOwner = (owner: string, message: GraphMessage): boolean =>
      message.from?.emailAddress.address.toLowerCase() === ownerMail.get(owner);

    before(() => {
      contactEmails = new Set(demo.customers.contacts.map((c) => c.Email.toLowerCase()));
      accountDomains = demo.customers.accounts.map((a) => a.Domain.toLowerCase()).filter((d) => d !== '');
      for (const user of demo.users) {
        ancestors.set(user.id, wellKnownAncestors(demo.mailFolders(user.id)));
        ownerMail.set(user.id, (user.mail ?? '').toLowerCase());
      }
    });

    it('gives Ana a busy inbox: more than 5,000 inbox messages in the window, customer mail among them', () => {
      const ana = demo.sellers[0];
      assert.ok(ana);
      const inbox = wellKnownFolderId(ana.id, 'inbox');
      const windowStart = asOf - 365 * DAY;
      const inWindow = (fixture.mailboxes[ana.id]?.messages ?? []).filter(
        (m) => m.parentFolderId === inbox && Date.parse(m.sentDateTime ?? '') >= windowStart,
      );
      assert.ok(inWindow.length > 5000, `${inWindow.length} inbox messages in the window`);
      // A reader stopping after the newest 5,000 would miss customer mail.
      const oldest = inWindow
        .sort((a, b) => Date.parse(b.sentDateTime ?? '') - Date.parse(a.sentDateTime ?? ''))
        .slice(5000);
      assert.ok(oldest.some(isCustomerMail), 'customer mail beyond the newest 5,000');
      assert.ok(demo.summary.includes('1 busy inbox'), demo.summary);
    });

    it('keeps busy-inbox noise away from account persons and other tracked sellers', () => {
      const ana = demo.sellers[0];
      assert.ok(ana);
      const noise = (fixture.mailboxes[ana.id]?.messages ?? []).filter(isBroadcast);
      assert.ok(noise.length >= 5500, `${noise.length} broadcasts`);
      const sellers = new Set(demo.sellers.map((s) => (s.mail ?? '').toLowerCase()));
      for (const message of noise) {
        for (const address of participants(message)) {
          assert.ok(!isAccountPerson(address), `${address} is an account person`);
          assert.ok(address === 'ana@fabrikam.com' || !sellers.has(address), `${address} is a seller`);
        }
        assert.equal(message.isDraft, false);
      }
      assert.equal(new Set(noise.map((m) => m.internetMessageId)).size, noise.length);
      assert.ok(copies.every(({ owner, message }) => owner === ana.id || !isBroadcast(message)));
    });

    it('files every message into a folder of its mailbox, by id, never by well-known name', () => {
      for (const user of demo.users) {
        const folderIds = new Set(demo.mailFolders(user.id).map((f) => f.id));
        for (const message of fixture.mailboxes[user.id]?.messages ?? []) {
          const folder = message.parentFolderId ?? '';
          assert.ok(folderIds.has(folder), `${folder} is a folder of ${user.mail}`);
          assert.ok(!isWellKnownFolderName(folder));
        }
        for (const message of demo.mailbox(user.id).messages) {
          assert.ok(folderIds.has(message.parentFolderId));
        }
      }
    });

    it('gives every mailbox more than 10 top-level folders and customer folders three deep under the Inbox', () => {
      for (const user of demo.users) {
        const folders = demo.mailFolders(user.id);
        const topLevel = folders.filter((f) => f.parentFolderId === rootFolderId(user.id));
        assert.ok(topLevel.length > 10, `${topLevel.length} top-level folders for ${user.mail}`);
        assert.equal(new Set(folders.map((f) => f.id)).size, folders.length, 'folder ids are unique');
        for (const f of folders) {
          assert.ok(
            f.parentFolderId === rootFolderId(user.id) || folders.some((p) => p.id === f.parentFolderId),
            `${f.displayName} has a parent`,
          );
          assert.ok(!f.displayName.includes('/'), f.displayName);
        }
      }
      const ana = demo.sellers[0];
      assert.ok(ana);
      const folders = demo.mailFolders(ana.id);
      const names = folders
        .filter((f) => f.parentFolderId === rootFolderId(ana.id))
        .map((f) => f.displayName);
      for (const name of ['Inbox', 'Archive', 'Junk Email', 'Projects', 'Receipts', 'Team']) {
        assert.ok(names.includes(name), name);
      }
      const inbox = wellKnownFolderId(ana.id, 'inbox');
      const contoso = folders.find((f) => f.displayName === 'Contoso Ltd');
      assert.ok(contoso, 'Inbox/Customers/Key accounts/Contoso Ltd');
      assert.equal(depthUnder(folders, contoso.id, inbox), 3);
      assert.equal(folders.find((f) => f.id === contoso.parentFolderId)?.displayName, 'Key accounts');

      let deepWithCustomerMail = 0;
      for (const seller of demo.sellers) {
        const sellerFolders = demo.mailFolders(seller.id);
        const sellerInbox = wellKnownFolderId(seller.id, 'inbox');
        const deep = new Set(
          sellerFolders.filter((f) => depthUnder(sellerFolders, f.id, sellerInbox) === 3).map((f) => f.id),
        );
        const messages = fixture.mailboxes[seller.id]?.messages ?? [];
        if (messages.some((m) => deep.has(m.parentFolderId ?? '') && isCustomerMail(m)))
          deepWithCustomerMail++;
      }
      assert.ok(deepWithCustomerMail >= 20, `${deepWithCustomerMail} sellers file into customer folders`);
      const contosoMail = (fixture.mailboxes[ana.id]?.messages ?? []).filter(
        (m) => m.parentFolderId === contoso.id,
      );
      assert.ok(
        contosoMail.length > 0 &&
          contosoMail.every((m) =>
            participants(m).some((p) => p.endsWith('contoso.com') || contactEmails.has(p)),
          ),
      );
    });

    it('files customer mail into Archive, Deleted Items and Junk Email, in plausible shares', () => {
      const received = new Map<string, number>();
      let customerReceived = 0;
      for (const { owner, message } of copies) {
        if (message.isDraft || sentByOwner(owner, message) || !isCustomerMail(message)) continue;
        const wellKnown = wellKnownOf(owner, message) ?? 'user folder';
        customerReceived++;
        received.set(wellKnown, (received.get(wellKnown) ?? 0) + 1);
      }
      const share = (name: string): number => (received.get(name) ?? 0) / customerReceived;
      assert.ok(share('inbox') > 0.7 && share('inbox') < 0.9, `inbox and its folders ${share('inbox')}`);
      for (const name of ['archive', 'deleteditems', 'junkemail']) {
        assert.ok(share(name) > 0.01 && share(name) < 0.15, `${name} ${share(name)}`);
      }
      assert.equal(received.get('sentitems') ?? 0, 0);
    });

    it('keeps received copies in a counted folder or junk, sent copies in sent items, archive or deleted items', () => {
      const sentFolders = new Set(['sentitems', 'archive', 'deleteditems']);
      let sentElsewhere = 0;
      for (const { owner, message } of copies) {
        const wellKnown = wellKnownOf(owner, message);
        if (message.isDraft) {
          assert.equal(wellKnown, 'drafts');
        } else if (sentByOwner(owner, message)) {
          assert.ok(wellKnown !== undefined && sentFolders.has(wellKnown), `sent copy in ${wellKnown}`);
          if (wellKnown !== 'sentitems') sentElsewhere++;
        } else {
          // Received: the Inbox (or its folders), Archive, Deleted Items, a user folder, or Junk Email.
          assert.ok(
            wellKnown === undefined ||
              wellKnown === 'junkemail' ||
              !NOT_COUNTED.includes(wellKnown as WellKnownFolderName),
            `received copy in ${wellKnown}`,
          );
          assert.notEqual(wellKnown, 'sentitems');
        }
      }
      assert.ok(sentElsewhere > 0, 'some sent mail was moved');
    });

    it('writes the folders into the fixture, so it serves the same folder ids', () => {
      const small = generateTenant({
        seed: 3,
        sellers: 4,
        accounts: 12,
        messagesPerMailbox: 60,
        asOf: AS_OF,
      });
      const source = fixtureTenantSource(parseTenantFixture(JSON.parse(JSON.stringify(small.toFixture()))));
      for (const user of small.users) {
        assert.deepEqual(source.mailFolders(user.id), small.mailFolders(user.id));
        assert.deepEqual(
          source.mailbox(user.id).messages.map((m) => [m.id, m.parentFolderId]),
          small.mailbox(user.id).messages.map((m) => [m.id, m.parentFolderId]),
        );
      }
    });

    it('gives one seller in 50 a busy inbox by default (at least one), or as many as asked', () => {
      const busy = (tenant: GeneratedTenant) =>
        tenant.sellers.filter((s) => tenant.busyInboxMessages(s.id) > 0);
      const few = generateTenant({ seed: 4, sellers: 10, accounts: 20, messagesPerMailbox: 20, asOf: AS_OF });
      assert.deepEqual(
        busy(few).map((s) => s.mail),
        ['ana@fabrikam.com'],
      );
      const more = generateTenant({
        seed: 4,
        sellers: 150,
        accounts: 20,
        messagesPerMailbox: 20,
        asOf: AS_OF,
      });
      assert.equal(busy(more).length, 3);
      const none = generateTenant({
        seed: 4,
        sellers: 10,
        accounts: 20,
        messagesPerMailbox: 20,
        asOf: AS_OF,
        busyInboxes: 0,
      });
      assert.equal(busy(none).length, 0);
      assert.equal(
        demoTenant({ asOf: AS_OF, busyInboxes: 0 }).busyInboxMessages(demo.sellers[0]?.id ?? ''),
        0,
      );
    });
  });

  describe('fixtures and lazy mailboxes', () => {
    it('writes fixtures that the fixture schema accepts', () => {
      const small = generateTenant({
        seed: 3,
        sellers: 4,
        accounts: 12,
        messagesPerMailbox: 60,
        asOf: AS_OF,
      });
      const parsed = parseTenantFixture(JSON.parse(JSON.stringify(small.toFixture())));
      assert.equal(parsed.users.length, small.users.length);
      assert.ok(Object.keys(parsed.mailboxes).length > 0);
    });

    it('builds mailboxes on demand and keeps only a few', () => {
      const tenant = generateTenant({ seed: 9, sellers: 20, accounts: 60, asOf: AS_OF, mailboxCacheSize: 2 });
      const [a, b, c] = tenant.sellers;
      assert.ok(a && b && c);
      assert.equal(tenant.stats.mailboxesGenerated, 0);
      tenant.mailbox(a.id);
      tenant.mailbox(b.id);
      tenant.mailbox(a.id);
      assert.equal(tenant.stats.mailboxesGenerated, 2);
      tenant.mailbox(c.id);
      tenant.mailbox(b.id);
      assert.equal(tenant.stats.mailboxesGenerated, 4, 'b was dropped from the cache and built again');
    });

    it('builds one mailbox of a 2,500-seller, 10-million-message tenant on its own', () => {
      const large = generateTenant({ seed: 5, sellers: 2500, messagesPerMailbox: 4000, asOf: AS_OF });
      assert.equal(large.sellers.length, 2500);
      const seller = large.sellers[42];
      assert.ok(seller);
      const started = Date.now();
      const box = large.mailbox(seller.id);
      assert.ok(box.messages.length > 1000);
      assert.ok(Date.now() - started < 5000);
      assert.equal(large.stats.mailboxesGenerated, 1);

      // One seller in 50 has a busy inbox; building one is still well under a second.
      const busy = large.sellers.filter((s) => large.busyInboxMessages(s.id) > 0);
      assert.equal(busy.length, 50);
      const busySeller = large.sellers[50];
      assert.ok(busySeller && large.busyInboxMessages(busySeller.id) === 5_500);
      const busyStarted = Date.now();
      const busyBox = large.buildMailbox(busySeller.id);
      const elapsed = Date.now() - busyStarted;
      const inbox = wellKnownFolderId(busySeller.id, 'inbox');
      const inWindow = busyBox.messages.filter(
        (m) => m.parentFolderId === inbox && (m.sent ?? 0) >= asOf - 365 * DAY,
      );
      assert.ok(busyBox.messages.length > 6000 && inWindow.length > 5000, `${inWindow.length} in the inbox`);
      assert.ok(elapsed < 1000, `${elapsed} ms for ${busyBox.messages.length} messages`);
    });
  });
});
