import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { ROW_COLUMNS } from '../../core/results/columns.ts';
import type { EngagementRow } from '../../core/engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The `engagement` command as a user runs it: `node bin/engagement.mjs enrich …` in a child process,
 * against the hand-built fixture of test/fixtures/e2e-tenant.md (rows on stdout, progress and
 * problems on stderr, the exit code).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => path.join(ROOT, 'test/fixtures', name);
const EXPECTED_JSONL = readFileSync(fixture('e2e-expected.jsonl'), 'utf8');
const EXPECTED: EngagementRow[] = EXPECTED_JSONL.split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as EngagementRow);

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function engagement(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/engagement.mjs'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const BASE = {
  '--fixture': fixture('e2e-tenant.json'),
  '--customers': fixture('e2e-customers.json'),
  '--tracked': 'ana@fabrikam.com,ben@fabrikam.com,westsales@fabrikam.com',
  '--email-field': 'Email',
  '--domain-field': 'Domain',
  '--as-of': '2026-03-04T12:00:00Z',
};
type Options = Record<string, string | null>;

/** `enrich` with the base options, changed by `changes` (null removes an option). */
function enrichArgs(changes: Options = {}): string[] {
  const merged: Options = { ...BASE, ...changes };
  return [
    'enrich',
    ...Object.entries(merged).flatMap(([name, value]) =>
      value === null || value === undefined ? [] : [name, value],
    ),
  ];
}

/** Runs at most `limit` commands at once (the machine has few cores). */
async function runAll(commands: readonly (readonly string[])[], limit = 3): Promise<CliRun[]> {
  const results: CliRun[] = new Array<CliRun>(commands.length);
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const i = next++;
      results[i] = await engagement(commands[i] ?? []);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const cell = (value: unknown) => (value === null ? '' : String(value));

describe('the engagement command', function () {
  // About 20 Node processes in all: generous for a busy machine.
  this.timeout(120_000);

  describe('enrich against a fixture', () => {
    let jsonl: CliRun;
    let csv: CliRun;
    let table: CliRun;

    before(async () => {
      const [a, b, c] = await runAll([
        enrichArgs(),
        enrichArgs({
          '--customers': fixture('e2e-accounts.csv'),
          '--contacts': fixture('e2e-contacts.csv'),
          '--format': 'csv',
        }),
        enrichArgs({ '--domain-field': null, '--format': 'table', '--level': 'Year' }),
      ]);
      assert.ok(a && b && c);
      [jsonl, csv, table] = [a, b, c];
    });

    it('prints the hand-computed rows as JSON lines, sorted by account, level and period start', () => {
      assert.equal(jsonl.code, 0, jsonl.stderr);
      assert.equal(jsonl.stdout, EXPECTED_JSONL);
    });

    it('lists its options with --help', async () => {
      const help = await engagement(['enrich', '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^Usage: engagement enrich \(--fixture tenant\.json \| --graph-url URL\)/);
      for (const option of [
        '--customers',
        '--contacts',
        '--tracked',
        '--email-field',
        '--domain-field',
        '--as-of',
        '--format',
        '--level',
      ]) {
        assert.ok(help.stdout.includes(option), option);
      }
      assert.equal(help.stderr, '');
    });

    it('reports progress on stderr, not on stdout', () => {
      // 17: the emails of the counted folders sent inside the window (E10, sent at T, is not read).
      assert.match(jsonl.stderr, /^Reading mailboxes: 3\/3 mailboxes, 17 emails, 12 meetings$/m);
      assert.match(jsonl.stderr, /^Writing results$/m);
      assert.doesNotMatch(jsonl.stderr, /warning|engagement:/);
    });

    it('reads the dataset from two CSV files and prints the same rows as CSV', () => {
      assert.equal(csv.code, 0, csv.stderr);
      const records = parseCsv(csv.stdout, { columns: true }) as Record<string, string>[];
      assert.deepEqual(Object.keys(records[0] ?? {}), ROW_COLUMNS);
      assert.deepEqual(
        records,
        EXPECTED.map((row) => Object.fromEntries(ROW_COLUMNS.map((c) => [c, cell(row[c])]))),
      );
    });

    it('prints a table a person can read: one level, aligned columns, a row count', () => {
      assert.equal(table.code, 0, table.stderr);
      const lines = table.stdout.trimEnd().split('\n');
      const [header = '', rule = '', ...rest] = lines;
      assert.match(header, /^Account +Level +From +Score +Emails to\/from +Meetings to\/from/);
      assert.match(rule, /^─+( +─+)+$/);
      assert.deepEqual(rest.slice(-2), ['', '7 rows']);
      const body = rest.slice(0, -2);
      const cells = body.map((line) => line.split(/ {2,}/));
      assert.deepEqual(
        cells.map((c) => c[0]),
        [
          'Contoso Ltd',
          'Northwind Traders',
          'Solo Consulting',
          'Tailspin Toys',
          'Wingtip Toys',
          'Litware, Inc.',
          'Quiet Systems',
        ],
      );
      assert.ok(cells.every((c) => c[1] === 'Year' && c[2] === '2025-03-04'));
      // Without --domain-field, eve@eu.contoso.com belongs to no account: Contoso has 3 emails from it, 3 persons.
      assert.deepEqual(cells[0], [
        'Contoso Ltd',
        'Year',
        '2025-03-04',
        '83',
        '3/3',
        '0/0',
        '2',
        '3',
        '6',
        '–',
        '–',
        '4.5 h',
      ]);
      assert.deepEqual(cells[1], [
        'Northwind Traders',
        'Year',
        '2025-03-04',
        '100',
        '1/2',
        '3/1',
        '3',
        '2',
        '6',
        '13',
        '38 min',
        '6.0 h',
      ]);
      assert.deepEqual(cells[6], [
        'Quiet Systems',
        'Year',
        '2025-03-04',
        '0',
        '0/0',
        '0/0',
        '0',
        '0',
        '–',
        '–',
        '–',
        '–',
      ]);
      // Numbers are right-aligned under their headings.
      const scoreEnd = header.indexOf('Score') + 'Score'.length;
      for (const line of body) assert.match(line.slice(0, scoreEnd), /\d$/, line);
      assert.ok(body.every((line) => line.length <= rule.length));
    });
  });

  describe('bad input: a non-zero exit, one line on stderr naming the problem, nothing on stdout', () => {
    const scratch = tempDir('cli');
    const file = (name: string, text: string) => {
      const full = path.join(scratch.path, name);
      writeFileSync(full, text);
      return full;
    };
    after(() => scratch.cleanup());

    /** A tenant of 2,501 users in one group: one entry on --tracked resolves to too many. */
    function crowdFixture(): string {
      const users = Array.from({ length: 2_501 }, (_, i) => ({
        id: `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        displayName: `Seller ${i}`,
        mail: `seller${i}@fabrikam.com`,
        userPrincipalName: `seller${i}@fabrikam.com`,
      }));
      return file(
        'crowd.json',
        JSON.stringify({
          tenant: {
            id: 'f2ab0000-0000-4000-8000-000000000000',
            displayName: 'Fabrikam',
            verifiedDomains: ['fabrikam.com'],
          },
          users,
          groups: [
            {
              id: 'g-all',
              displayName: 'Everyone',
              mail: 'everyone@fabrikam.com',
              members: users.map((u) => u.id),
            },
          ],
        }),
      );
    }

    const cases: [what: string, options: Options, problem: RegExp][] = [
      [
        'a missing customers file',
        { '--customers': '/nonexistent/customers.json' },
        /^engagement: --customers \/nonexistent\/customers\.json does not exist$/,
      ],
      [
        'malformed customer JSON',
        { '--customers': 'bad-json' },
        /^engagement: .*customers\.json is not valid JSON: /,
      ],
      [
        'a malformed tenant fixture',
        { '--fixture': 'bad-tenant' },
        /^engagement: tenant fixture .*tenant\.json is not valid JSON: /,
      ],
      [
        'malformed CSV',
        { '--customers': 'bad-csv', '--contacts': fixture('e2e-contacts.csv') },
        /^engagement: accounts CSV is not valid CSV: .*quote/i,
      ],
      [
        'an unknown --email-field',
        { '--email-field': 'Mail' },
        /^engagement: The contact email field "Mail" is not a contact field \(contact fields: ContactId, AccountId, Email, FullName\)$/,
      ],
      [
        'an unknown --domain-field',
        { '--domain-field': 'Website' },
        /^engagement: The account domain field "Website" is not an account field \(account fields: AccountId, Name, Domain, OwnerEmail\)$/,
      ],
      [
        'fewer than 2 tracked addresses',
        { '--tracked': 'ana@fabrikam.com,nobody@fabrikam.com' },
        /^engagement: Tracked users must resolve to between 2 and 2,500 addresses, but 1 resolved from 2 entries; not found: nobody@fabrikam\.com\.$/,
      ],
      [
        'more than 2,500 tracked addresses',
        { '--fixture': 'crowd', '--tracked': 'everyone@fabrikam.com' },
        /^engagement: Tracked users must resolve to between 2 and 2,500 addresses, but 2,501 resolved from 1 entry\.$/,
      ],
      [
        'a bad --as-of',
        { '--as-of': '2026-13-01' },
        /^engagement: --as-of must be an ISO 8601 instant, e\.g\. 2026-11-01T00:00:00Z$/,
      ],
      ['an unknown option', { '--colour': 'red' }, /^engagement: Unknown option '--colour'/],
      [
        'neither --fixture nor --graph-url',
        { '--fixture': null },
        /^engagement: give exactly one of --fixture FILE .* or --graph-url URL$/,
      ],
      [
        'both --fixture and --graph-url',
        { '--graph-url': 'https://graph.example.com/v1.0' },
        /^engagement: give exactly one of --fixture FILE .* or --graph-url URL$/,
      ],
    ];

    let runs: CliRun[];

    before(async () => {
      const files: Record<string, string> = {
        'bad-json': file('customers.json', '{ "accounts": [ { "AccountId": "A1", '),
        'bad-tenant': file('tenant.json', '{"tenant": {"id": "x"'),
        'bad-csv': file('accounts.csv', 'AccountId,Name\nA1,"Contoso\n'),
        crowd: crowdFixture(),
      };
      runs = await runAll(
        cases.map(([, options]) =>
          enrichArgs(
            Object.fromEntries(
              Object.entries(options).map(([k, v]) => [k, v === null ? null : (files[v] ?? v)]),
            ),
          ),
        ),
      );
    });

    cases.forEach(([what, , problem], i) => {
      it(what, () => {
        const run = runs[i];
        assert.ok(run);
        assert.notEqual(run.code, 0);
        assert.equal(run.stdout, '');
        assert.match(run.stderr, /^[^\n]+\n$/, `not exactly one line: ${JSON.stringify(run.stderr)}`);
        assert.match(run.stderr.trimEnd(), problem);
      });
    });
  });
});
