import assert from 'node:assert/strict';
import type { GraphEvent, GraphMessage, TenantFixture } from '../graph-simulator/fixture-schema';
import { parseTenantFixture, utcLocalToEpoch } from '../graph-simulator/fixture-schema';
import { demoTenant, generateTenant, type GeneratedTenant } from '../graph-simulator/generator';
import { wellKnownFolderId } from '../graph-simulator/mail-folders';
import { PUBLIC_MAIL_DOMAINS } from '../graph-simulator/tenant-names';

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

    it('gives every seller a mailbox of about messagesPerMailbox messages', () => {
      const sizes = demo.sellers.map((s) => fixture.mailboxes[s.id]?.messages.length ?? 0);
      const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
      assert.ok(mean > 300 && mean < 520, `mean ${mean}`);
      assert.ok(sizes.every((n) => n > 0));
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
    });
  });
});
