import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  FixtureError,
  loadTenantFixture,
  parseTenantFixture,
} from '../../local/graph-simulator/fixture-schema';
import { fixtureTenantSource } from '../../local/graph-simulator/tenant-source';
import { wellKnownFolderId } from '../../local/graph-simulator/mail-folders';
import { parseWriteFixtureArgs, writeFixture } from '../../local/graph-simulator/write-fixture';

const USER = '11111111-1111-4111-8111-111111111111';

function validFixture(): Record<string, unknown> {
  return {
    tenant: { id: 't-1', displayName: 'Fabrikam', verifiedDomains: ['fabrikam.com'] },
    users: [
      { id: USER, displayName: 'Ana Diaz', mail: 'ana@fabrikam.com', userPrincipalName: 'ana@fabrikam.com' },
    ],
    groups: [{ id: 'g-1', displayName: 'Sales', mail: 'sales@fabrikam.com', members: [USER] }],
    mailboxes: {
      [USER]: {
        messages: [
          {
            id: 'm-1',
            sentDateTime: '2026-03-01T10:00:00Z',
            receivedDateTime: '2026-03-01T10:00:02Z',
            from: { emailAddress: { address: 'ana@fabrikam.com' } },
            toRecipients: [{ emailAddress: { name: 'Kim', address: 'kim@contoso.com' } }],
          },
          {
            id: 'm-2',
            sentDateTime: '2026-03-01T11:00:00Z',
            from: { emailAddress: { address: 'kim@contoso.com' } },
            parentFolderId: 'inbox',
          },
        ],
        events: [
          {
            id: 'e-1',
            start: { dateTime: '2026-03-01T10:00:00.0000000', timeZone: 'UTC' },
            end: { dateTime: '2026-03-01T10:30:00.0000000', timeZone: 'UTC' },
          },
        ],
      },
    },
  };
}

function problemsOf(input: unknown): string {
  try {
    parseTenantFixture(input, 'tenant.json');
  } catch (error) {
    assert.ok(error instanceof FixtureError);
    return error.message;
  }
  return assert.fail('expected the fixture to be refused');
}

describe('tenant fixtures', () => {
  it('accepts a fixture and applies Graph defaults', () => {
    const fixture = parseTenantFixture(validFixture());
    const messages = fixture.mailboxes[USER]?.messages ?? [];
    assert.equal(messages[0]?.isDraft, false);
    assert.deepEqual(messages[0]?.ccRecipients, []);
    const event = fixture.mailboxes[USER]?.events[0];
    assert.equal(event?.iCalUId, 'e-1');
    assert.equal(event?.type, 'singleInstance');
    assert.equal(event?.isCancelled, false);
  });

  it('files messages without a folder in sent items or the inbox, and maps well-known names to folder ids', () => {
    const source = fixtureTenantSource(parseTenantFixture(validFixture()));
    const [sent, received] = source.mailbox(USER).messages;
    assert.equal(sent?.parentFolderId, wellKnownFolderId(USER, 'sentitems'));
    assert.equal(received?.parentFolderId, wellKnownFolderId(USER, 'inbox'));
    assert.equal(received?.toGraph().parentFolderId, wellKnownFolderId(USER, 'inbox'));
  });

  it('names the path of a bad field', () => {
    const bad = validFixture();
    const mailbox = (bad['mailboxes'] as Record<string, { messages: Record<string, unknown>[] }>)[USER];
    if (mailbox?.messages[0]) mailbox.messages[0]['sentDateTime'] = 'yesterday';
    const message = problemsOf(bad);
    assert.match(message, /^tenant\.json is not a valid tenant fixture/);
    assert.ok(message.includes(`mailboxes["${USER}"].messages[0].sentDateTime`), message);
  });

  it('names broken references, duplicate ids, non-UTC events and events ending before they start', () => {
    const bad = validFixture();
    (bad['groups'] as { members: string[] }[])[0]?.members.push('nobody');
    (bad['mailboxes'] as Record<string, unknown>)['not-a-user'] = { messages: [] };
    expect(problemsOf(bad), ['groups[0].members[1]', '"nobody" is neither a user id nor a group id']);
    expect(problemsOf(bad), ['mailboxes["not-a-user"]: no user has the id']);

    const duplicate = validFixture();
    const messages = (duplicate['mailboxes'] as Record<string, { messages: { id: string }[] }>)[USER]
      ?.messages;
    if (messages?.[1]) messages[1].id = 'm-1';
    expect(problemsOf(duplicate), ['messages[1].id: duplicate id "m-1"']);

    const zone = validFixture();
    const events = (
      zone['mailboxes'] as Record<string, { events: Record<string, Record<string, string>>[] }>
    )[USER]?.events;
    if (events?.[0]?.['start']) events[0]['start']['timeZone'] = 'Pacific Standard Time';
    expect(problemsOf(zone), ['events[0].start.timeZone', "only timeZone 'UTC' is supported"]);

    const backwards = validFixture();
    const backwardsEvents = (
      backwards['mailboxes'] as Record<string, { events: Record<string, Record<string, string>>[] }>
    )[USER]?.events;
    if (backwardsEvents?.[0]?.['end']) backwardsEvents[0]['end']['dateTime'] = '2026-03-01T09:00:00';
    expect(problemsOf(backwards), ['events[0].end: end is before start']);
  });

  it('reports a missing file and malformed JSON clearly', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fixture-'));
    try {
      await assert.rejects(
        loadTenantFixture(path.join(dir, 'missing.json')),
        /missing\.json cannot be read \(ENOENT\)/,
      );
      const broken = path.join(dir, 'broken.json');
      await writeFile(broken, '{"tenant": ');
      await assert.rejects(loadTenantFixture(broken), /broken\.json is not valid JSON/);
      const good = path.join(dir, 'good.json');
      await writeFile(good, JSON.stringify(validFixture()));
      assert.equal((await loadTenantFixture(good)).users.length, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function expect(message: string, parts: readonly string[]): void {
  for (const part of parts) assert.ok(message.includes(part), `"${part}" in: ${message}`);
}

describe('write-fixture', function () {
  this.timeout(30_000);

  it('validates its arguments, defaulting to the demo tenant shape', () => {
    const args = parseWriteFixtureArgs(['--tenant', 't.json', '--customers', 'c.json']);
    assert.equal(args.sellers, 40);
    assert.equal(args.accounts, 300);
    assert.equal(args.seed, 42);
    assert.throws(() => parseWriteFixtureArgs(['--tenant', 't.json']), /--customers <file> is required/);
    assert.throws(
      () => parseWriteFixtureArgs(['--tenant', 't.json', '--customers', 'c.json', '--sellers', '1']),
      /--sellers must be at least 2/,
    );
    assert.throws(
      () => parseWriteFixtureArgs(['--tenant', 't.json', '--customers', 'c.json', '--as-of', 'soon']),
      /--as-of must be an ISO date-time/,
    );
    assert.throws(() =>
      parseWriteFixtureArgs(['--tenant', 't.json', '--customers', 'c.json', '--colour', 'red']),
    );
    assert.equal(args['unanswered-accounts'], undefined, 'the demo shape: one account in 50');
    assert.equal(
      parseWriteFixtureArgs(['--tenant', 't.json', '--customers', 'c.json', '--unanswered-accounts', '2'])[
        'unanswered-accounts'
      ],
      2,
    );
    assert.throws(
      () =>
        parseWriteFixtureArgs(['--tenant', 't.json', '--customers', 'c.json', '--unanswered-accounts=-1']),
      /--unanswered-accounts must be 0 or more/,
    );
  });

  it('writes a tenant fixture and a customer dataset that load back', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'write-fixture-'));
    try {
      const tenantFile = path.join(dir, 'tenant.json');
      const customersFile = path.join(dir, 'customers.json');
      const written = await writeFixture(
        parseWriteFixtureArgs([
          '--tenant',
          tenantFile,
          '--customers',
          customersFile,
          '--sellers',
          '4',
          '--accounts',
          '10',
          '--messages-per-mailbox',
          '40',
          '--as-of',
          '2026-11-01T00:00:00Z',
        ]),
      );
      const fixture = await loadTenantFixture(tenantFile);
      assert.equal(fixture.users.length, written.users);
      const customers = JSON.parse(await readFile(customersFile, 'utf8')) as {
        accounts: Record<string, string>[];
        contacts: Record<string, string>[];
      };
      assert.equal(customers.accounts.length, 10);
      assert.deepEqual(Object.keys(customers.accounts[0] ?? {}).sort(), [
        'AccountId',
        'Domain',
        'Name',
        'OwnerEmail',
      ]);
      assert.deepEqual(Object.keys(customers.contacts[0] ?? {}).sort(), [
        'AccountId',
        'ContactId',
        'Email',
        'FirstName',
        'JobTitle',
        'LastName',
      ]);
      assert.equal(customers.accounts[0]?.['Name'], 'Contoso Ltd');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero with one clear line on bad arguments', async () => {
    const script = path.resolve('local/graph-simulator/write-fixture.ts');
    const run = promisify(execFile);
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', script, '--tenant', 'x.json']),
      (error: unknown) => {
        const { code, stderr } = error as { code: number; stderr: string };
        assert.equal(code, 2);
        assert.match(stderr.trim(), /^write-fixture: --customers <file> is required$/);
        return true;
      },
    );
  });
});
