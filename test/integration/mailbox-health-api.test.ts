import assert from 'node:assert/strict';
import { saveEnrichment } from '../support/enrichment-fixture';
import { runToEnd, type ErrorBody } from '../support/run-api';
import { startTestApp, type TestApp } from '../support/test-app';

const ANA = 'ana@fabrikam.com';
const OSKAR = 'oskar.romero@fabrikam.com';
const RUTH = 'ruth.mehta@fabrikam.com';

interface ReadingRun {
  runId: string;
  asOf: string;
}

interface MailboxView {
  mailboxId: string;
  address: string;
  displayName: string | null;
  status: 'ok' | 'permission' | 'throttled' | 'failed';
  problem: string | null;
  folders: number;
  messages: number;
  meetings: number;
  lastRun: ReadingRun;
  lastRead: ReadingRun | null;
}

interface MailboxPage {
  mailboxes: MailboxView[];
  nextPage?: string;
}

interface SummaryView {
  lastRun: ReadingRun | null;
  total: number;
  counts: Record<MailboxView['status'], number>;
  reread: { available: boolean };
}

describe('mailbox health API', () => {
  let app: TestApp;

  const summary = async () => {
    const answer = await app.api<SummaryView>('GET', '/api/enrichments/sales/mailboxes/summary');
    assert.equal(answer.status, 200);
    return answer.body;
  };
  const page = async (query = '') => {
    const answer = await app.api<MailboxPage>('GET', `/api/enrichments/sales/mailboxes${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  /** Runs the enrichment and waits until its follow-ups (the mailbox health among them) are done. */
  const run = async () => {
    const ended = await runToEnd(app, 'sales');
    await app.stack.runs.idle();
    assert.equal(ended.status, 'succeeded', ended.error ?? '');
    return { runId: ended.runId, asOf: ended.asOf };
  };

  before(async () => {
    app = await startTestApp();
    await saveEnrichment(app, {
      enrichmentId: 'sales',
      tracked: [ANA, OSKAR, RUTH],
      consentGrantedAt: Date.now(),
    });
  });
  afterEach(() => app.stack.graph.faults.reset());
  after(async () => app?.close());

  it('shows nothing before the first run', async () => {
    assert.deepEqual(await summary(), {
      lastRun: null,
      total: 0,
      counts: { ok: 0, permission: 0, throttled: 0, failed: 0 },
      reread: { available: false, reason: 'No run has read the mailboxes yet.' },
    });
    assert.deepEqual(await page(), { mailboxes: [] });
  });

  it('lists every tracked mailbox with what it gave, and names a refused and a throttled one', async () => {
    app.stack.graph.faults.deny(RUTH);
    app.stack.graph.faults.add({
      kind: 'throttle',
      retryAfterSeconds: 0,
      path: '/calendarView',
      mailbox: ANA,
    });
    const first = await run();

    const { reread, ...counted } = await summary();
    assert.deepEqual(counted, {
      lastRun: first,
      total: 3,
      counts: { ok: 1, permission: 1, throttled: 1, failed: 0 },
    });
    assert.equal(reread.available, true, 'the two mailboxes can be read again');
    const { mailboxes, nextPage } = await page();
    assert.equal(nextPage, undefined);
    assert.deepEqual(
      mailboxes.map((m) => [m.address, m.status]),
      [
        [ANA, 'throttled'],
        [OSKAR, 'ok'],
        [RUTH, 'permission'],
      ],
    );
    const [ana, oskar, ruth] = mailboxes as [MailboxView, MailboxView, MailboxView];
    assert.match(ana.problem ?? '', /kept throttling/);
    assert.equal(ana.meetings, 0, 'the calendar was never read');
    assert.equal(ana.lastRead, null);
    assert.match(ruth.problem ?? '', /denied access/);
    assert.deepEqual([ruth.messages, ruth.meetings, ruth.lastRead], [0, 0, null]);
    assert.equal(oskar.problem, null);
    assert.ok(oskar.folders > 0 && oskar.messages > 0 && oskar.meetings > 0, JSON.stringify(oskar));
    assert.ok(oskar.displayName);
    assert.deepEqual(oskar.lastRead, first);
    for (const mailbox of mailboxes) assert.deepEqual(mailbox.lastRun, first);

    const refused = await page('?status=permission');
    assert.deepEqual(
      refused.mailboxes.map((m) => m.address),
      [RUTH],
    );
  });

  it('keeps the last complete read of a mailbox that a later run could not read', async () => {
    const earlier = (await page()).mailboxes.find((m) => m.address === OSKAR);
    app.stack.graph.faults.deny(OSKAR);
    const second = await run();

    assert.deepEqual((await summary()).counts, { ok: 2, permission: 1, throttled: 0, failed: 0 });
    const byAddress = new Map((await page()).mailboxes.map((m) => [m.address, m]));
    assert.equal(byAddress.get(OSKAR)?.status, 'permission');
    assert.deepEqual(byAddress.get(OSKAR)?.lastRun, second);
    assert.deepEqual(byAddress.get(OSKAR)?.lastRead, earlier?.lastRead);
    assert.deepEqual(byAddress.get(ANA)?.lastRead, second);
    assert.deepEqual(byAddress.get(RUTH)?.lastRead, second);
  });

  it('pages by address and refuses a status it does not know', async () => {
    const first = await page('?pageSize=2');
    assert.equal(first.mailboxes.length, 2);
    assert.ok(first.nextPage);
    const rest = await page(`?pageSize=2&page=${encodeURIComponent(first.nextPage)}`);
    assert.deepEqual(
      [...first.mailboxes, ...rest.mailboxes].map((m) => m.address),
      [ANA, OSKAR, RUTH],
    );
    assert.equal(rest.nextPage, undefined);

    const bad = await app.api<ErrorBody>('GET', '/api/enrichments/sales/mailboxes?status=lost');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /query\.status/);
    const unknown = await app.api<ErrorBody>('GET', '/api/enrichments/nowhere/mailboxes/summary');
    assert.equal(unknown.status, 404);
  });
});
