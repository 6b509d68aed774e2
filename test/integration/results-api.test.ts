import assert from 'node:assert/strict';
import { parse as parseCsv } from 'csv-parse/sync';
import { historySeries, type HistoryPoint } from '../../core/conversation/history-series';
import { contractRow, listedRow, ROW_COLUMNS, type ListedRow } from '../../core/results/columns';
import { demoTenant } from '../../local/graph-simulator';
import {
  DEFAULT_SIGNAL_THRESHOLDS,
  SIGNALS,
  type EngagementRow,
  type SignalName,
  type SignalThresholds,
  type UserEntityRow,
} from '../../core/engine';
import { ENRICHMENT_TYPE, enrichmentDocumentId, loadEnrichment } from '../../core/config/enrichment-config';
import { ConfigurationRepository } from '../../core/store/configuration-repository';
import type { CardScoreExplanation } from '../../core/results/score-explanation';
import type { StoredEngagementRow } from '../../core/results/stored-rows';
import { ResultsRepository } from '../../core/store/results-repository';
import { appContainers, demoCustomers, saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import { runToEnd, type ErrorBody, type RunView } from '../support/run-api';
import { startTestApp, type TestApp } from '../support/test-app';

const TRACKED = ['ana@fabrikam.com', 'ruth.mehta@fabrikam.com'];
const CONTOSO = 'AC-00001';
/** A name that needs CSV quoting: a comma, quotes and a line break. */
const AWKWARD_ID = 'AC-00002';
const AWKWARD_NAME = 'Northwind "Blue",\nTraders';

interface Summary {
  results: {
    runId: string;
    asOf: string;
    accounts: number;
    enrichedAccounts: number;
    emailsProcessed: number | null;
    meetingsProcessed: number | null;
    emailsCounted: number | null;
    meetingsCounted: number | null;
    daysCovered: number | null;
  } | null;
  lastRun: { runId: string; status: string } | null;
}

interface RowPage {
  runId: string;
  level: string;
  total: number;
  rows: ListedRow[];
  signalThresholds: SignalThresholds;
  nextPage?: string;
}

interface Card {
  runId: string;
  signalThresholds: SignalThresholds;
  asOf: string;
  year: EngagementRow;
  band: string;
  trend: string;
  previousScore: number | null;
  nextMeeting: { start: string; end: string } | null;
  signals: string[];
  explanation: CardScoreExplanation | null;
  months: HistoryPoint[];
  weeks: HistoryPoint[];
}

/** Cosmos DB's order: null before numbers and strings; strings by code unit. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return (a as number | string) < (b as number | string) ? -1 : 1;
}

function band(score: number): string {
  return score >= 70 ? 'High' : score >= 40 ? 'Medium' : 'Low';
}

describe('results API', () => {
  let app: TestApp;
  let results: ResultsRepository;
  let first: RunView;

  /** Every page of a preview query, following nextPage. */
  async function allPages(query: string): Promise<{ pages: RowPage[]; rows: ListedRow[] }> {
    const pages: RowPage[] = [];
    let next: string | undefined;
    do {
      const page = next ? `&page=${encodeURIComponent(next)}` : '';
      const answer = await app.api<RowPage>('GET', `/api/enrichments/sales/results/rows?${query}${page}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      pages.push(answer.body);
      next = answer.body.nextPage;
    } while (next);
    return { pages, rows: pages.flatMap((p) => p.rows) };
  }

  const storedRows = (level?: string) =>
    results.visibleRows<StoredEngagementRow>('Office', level ? { level } : {});

  before(async () => {
    app = await startTestApp();
    results = new ResultsRepository((await appContainers(app)).results, tenantOf(app));
    const customers = demoCustomers();
    const awkward = customers.accounts.find((a) => a.AccountId === AWKWARD_ID);
    assert.ok(awkward);
    awkward.Name = AWKWARD_NAME;
    await saveEnrichment(app, {
      enrichmentId: 'sales',
      tracked: TRACKED,
      consentGrantedAt: Date.now(),
      customers,
    });
  });
  afterEach(() => app.stack.graph.faults.reset());
  after(async () => app?.close());

  it('has no results before the first run', async () => {
    const summary = await app.api<Summary>('GET', '/api/enrichments/sales/results/summary');
    assert.equal(summary.status, 200);
    assert.deepEqual(summary.body.results, null);
    assert.equal(summary.body.lastRun, null);
    assert.equal((await app.api('GET', '/api/enrichments/sales/results/rows')).status, 404);
    assert.equal((await app.api('GET', `/api/enrichments/sales/accounts/${CONTOSO}`)).status, 404);
    const search = await app.api<{ accounts: unknown[] }>(
      'GET',
      '/api/enrichments/sales/accounts?search=contoso',
    );
    assert.deepEqual(search.body.accounts, []);

    first = await runToEnd(app, 'sales');
    assert.equal(first.status, 'succeeded', first.error ?? '');
  });

  it('sums up the visible run with the numbers the store holds', async () => {
    const summary = await app.api<Summary>('GET', '/api/enrichments/sales/results/summary');
    assert.equal(summary.status, 200);
    const year = await storedRows('Year');
    assert.deepEqual(summary.body.results, {
      runId: first.runId,
      asOf: first.asOf,
      publishedAt: (await results.visibleRun('Office'))?.publishedAt,
      accounts: year.length,
      enrichedAccounts: year.filter((r) => r.EngagementStartDate !== null).length,
      emailsProcessed: first.counts?.emailsRead,
      meetingsProcessed: first.counts?.meetingsRead,
      emailsCounted: first.counts?.emailsCounted,
      meetingsCounted: first.counts?.meetingsCounted,
      daysCovered: first.daysCovered,
    });
    assert.equal(year.length, 300);
    assert.ok((summary.body.results?.enrichedAccounts ?? 0) > 5);
    assert.equal(summary.body.lastRun?.runId, first.runId);
  });

  it('gives one number per concept wherever it is shown: enriched customers, dataset accounts, rows per level', async () => {
    const summary = (await app.api<Summary>('GET', '/api/enrichments/sales/results/summary')).body.results;
    assert.ok(summary);
    const history = await app.api<{ runs: { runId: string; accounts: number; accountsEnriched: number }[] }>(
      'GET',
      '/api/enrichments/sales/results/history',
    );
    const run = await app.api<RunView>('GET', `/api/enrichments/sales/runs/${first.runId}`);
    const segments = await app.api<{ accounts: number }>('GET', '/api/enrichments/sales/segments');
    const year = await storedRows('Year');
    const counts = run.body.counts ?? assert.fail('counts');
    const point = history.body.runs.find((r) => r.runId === first.runId) ?? assert.fail('history point');

    // Enriched customers: accounts with counted email or meetings (Results tile and chart, Runs pane and history).
    const enriched = year.filter((r) => r.EngagementStartDate !== null).length;
    assert.equal(summary.enrichedAccounts, enriched);
    assert.equal(counts.accountsEnriched, enriched);
    assert.equal(point.accountsEnriched, enriched);

    // Dataset accounts: one Year row each (Results "of N accounts", preview and Customers totals, segments).
    const yearRows = await app.api<RowPage>(
      'GET',
      '/api/enrichments/sales/results/rows?level=Year&pageSize=1',
    );
    for (const accounts of [
      summary.accounts,
      counts.accounts,
      point.accounts,
      yearRows.body.total,
      segments.body.accounts,
    ]) {
      assert.equal(accounts, demoCustomers().accounts.length);
    }
    assert.ok(enriched < summary.accounts, 'some accounts of the dataset had no counted activity');

    // Rows per level: Month and Week rows only where there was activity, counted as stored.
    for (const level of ['Month', 'Week']) {
      const page = await app.api<RowPage>(
        'GET',
        `/api/enrichments/sales/results/rows?level=${level}&pageSize=1`,
      );
      assert.equal(page.body.total, (await storedRows(level)).length, level);
      // Signals are the account's at the as-of instant: only Year rows carry them.
      assert.equal(page.body.rows[0]?.Signals, null, level);
    }
  });

  it('previews Year rows by score, highest first, page by page through every row', async () => {
    const firstPage = await app.api<RowPage>('GET', '/api/enrichments/sales/results/rows');
    assert.equal(firstPage.status, 200);
    assert.equal(firstPage.body.level, 'Year');
    assert.equal(firstPage.body.rows.length, 25);
    assert.equal(firstPage.body.total, 300);
    assert.ok(firstPage.body.nextPage);

    const { pages, rows } = await allPages('pageSize=100');
    assert.deepEqual(
      pages.map((p) => p.rows.length),
      [100, 100, 100],
    );
    // The contract's columns and the account's signals, as stored.
    const stored = new Map((await storedRows('Year')).map((r) => [r.AccountId, listedRow(r)]));
    assert.equal(new Set(rows.map((r) => r.AccountId)).size, 300);
    for (const row of rows) assert.deepEqual(row, stored.get(row.AccountId));
    const scores = rows.map((r) => r.EngagementScore);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
  });

  it('sorts by any column either way, on any level', async () => {
    const cases: [level: string, column: keyof EngagementRow, order: 'asc' | 'desc'][] = [
      ['Year', 'AccountName', 'asc'],
      ['Year', 'DaysSinceLastEmail', 'asc'],
      ['Year', 'AverageDuration_Of_Meetings', 'desc'],
      ['Month', 'NoOfEmails_ToAccount', 'desc'],
      ['Week', 'AggregationStartDate', 'asc'],
    ];
    for (const [level, column, order] of cases) {
      const { rows } = await allPages(`level=${level}&sort=${column}&order=${order}&pageSize=100`);
      const stored = await storedRows(level);
      assert.equal(rows.length, stored.length, `${level} by ${column}`);
      const expected = stored.map((r) => r[column]).sort(compareValues);
      if (order === 'desc') expected.reverse();
      assert.deepEqual(
        rows.map((r) => r[column]),
        expected,
        `${level} by ${column} ${order}`,
      );
    }
  });

  it('searches by account name, any case', async () => {
    const { pages, rows } = await allPages('search=CONTOSO&sort=AccountName&order=asc');
    const expected = (await storedRows('Year')).filter((r) =>
      r.AccountName.toLowerCase().includes('contoso'),
    );
    assert.ok(expected.length >= 1);
    assert.equal(pages[0]?.total, expected.length);
    assert.deepEqual(rows.map((r) => r.AccountId).sort(), expected.map((r) => r.AccountId).sort());
  });

  it('names every bad query field at once', async () => {
    const bad = await app.api<ErrorBody>(
      'GET',
      '/api/enrichments/sales/results/rows?pageSize=101&sort=Nope&order=up&level=Day',
    );
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.fields?.map((f) => f.field).sort(), [
      'query.level',
      'query.order',
      'query.pageSize',
      'query.sort',
    ]);
    const token = await app.api<ErrorBody>('GET', '/api/enrichments/sales/results/rows?page=bm9wZQ');
    assert.equal(token.status, 400);
    assert.equal((await app.api('GET', '/api/enrichments/nope/results/summary')).status, 404);
    assert.equal((await app.api('GET', '/api/enrichments/sales/accounts?search=')).status, 400);
  });

  it("serves an account's card: every column, history by month and week, band, trend and next meeting", async () => {
    const answer = await app.api<Card>('GET', `/api/enrichments/sales/accounts/${CONTOSO}`);
    assert.equal(answer.status, 200);
    const card = answer.body;
    const stored = await results.visibleRows<StoredEngagementRow>('Office', { accountId: CONTOSO });
    const year = stored.find((r) => r.AggregationLevel === 'Year');
    assert.ok(year);
    assert.equal(card.runId, first.runId);
    assert.equal(card.asOf, first.asOf);
    assert.deepEqual(card.year, contractRow(year));
    assert.ok(card.year.NoOfEmails_ToAccount > 0 && card.months.length > 0 && card.weeks.length > 0);
    // Every month and week of the window, from the stored rows, quiet ones as zeros.
    const history = (level: 'Month' | 'Week') =>
      historySeries(
        card.asOf,
        level,
        stored.filter((r) => r.AggregationLevel === level),
        { wholeWindow: true },
      );
    assert.deepEqual(card.months, history('Month'));
    assert.deepEqual(card.weeks, history('Week'));
    assert.ok(card.weeks.length >= 52, 'the whole window of weeks');
    assert.equal(card.band, band(year.EngagementScore));
    assert.equal(card.trend, 'new');
    assert.equal(card.previousScore, null);

    // The next meeting, found independently in the simulated calendars of the tracked users.
    const users = await results.visibleRows<UserEntityRow>('Office_UserEntity');
    const trackedIds = new Set(users.map((u) => u.UserId));
    const trackedAddresses = new Set(users.map((u) => u.Email.toLowerCase()));
    const contacts = new Set(
      demoCustomers()
        .contacts.filter((c) => c.AccountId === CONTOSO)
        .map((c) => c.Email?.toLowerCase()),
    );
    const isContoso = (address: string) => contacts.has(address) || /@(.+\.)?contoso\.com$/.test(address);
    const asOf = Date.parse(first.asOf);
    const tenant = demoTenant({ seed: 42 });
    const calendars = tenant.source.users
      .filter((u) => trackedIds.has(u.id))
      .map((u) => tenant.source.mailbox(u.id).events.map((event) => ({ event, graph: event.toGraph() })));
    // A meeting cancelled, private or confidential in any tracked calendar counts in none (the contract's default).
    const withheld = new Set(
      calendars
        .flat()
        .filter(
          ({ graph }) =>
            graph.isCancelled || graph.sensitivity === 'private' || graph.sensitivity === 'confidential',
        )
        .map(({ graph }) => graph.iCalUId ?? graph.id),
    );
    let expected: { start: number; end: number } | null = null;
    for (const calendar of calendars) {
      for (const { event, graph } of calendar) {
        if (event.start < asOf || (expected && event.start >= expected.start)) continue;
        if (graph.isAllDay || withheld.has(graph.iCalUId ?? graph.id)) continue;
        const organizer = graph.organizer?.emailAddress?.address?.toLowerCase() ?? '';
        const attendees = (graph.attendees ?? []).map((a) => a.emailAddress?.address?.toLowerCase() ?? '');
        const counts =
          (trackedAddresses.has(organizer) && attendees.some(isContoso)) ||
          (isContoso(organizer) && attendees.some((a) => trackedAddresses.has(a)));
        if (counts) expected = { start: event.start, end: event.end };
      }
    }
    assert.ok(expected, 'the demo tenant has a meeting with Contoso ahead');
    assert.deepEqual(card.nextMeeting, {
      start: new Date(expected.start).toISOString(),
      end: new Date(expected.end).toISOString(),
    });
    const none = (await storedRows('Year')).find((r) => r.NextMeetingStart === null);
    assert.ok(none);
    const without = await app.api<Card>('GET', `/api/enrichments/sales/accounts/${none.AccountId}`);
    assert.equal(without.body.nextMeeting, null);

    assert.equal((await app.api('GET', '/api/enrichments/sales/accounts/AC-99999')).status, 404);
  });

  it("gives every account's card its signals at T; Stale agrees with the days since the last email and meeting", async () => {
    const years = await storedRows('Year');
    const quiet = (days: number | null) => days === null || days > 60;
    let stale = 0;
    for (const year of years.slice(0, 40)) {
      const card = (await app.api<Card>('GET', `/api/enrichments/sales/accounts/${year.AccountId}`)).body;
      assert.deepEqual(card.signals, year.Signals, year.AccountId);
      const expected = quiet(year.DaysSinceLastEmail) && quiet(year.DaysSinceLastMeeting);
      assert.equal(card.signals.includes('Stale'), expected, `${year.AccountId} Stale`);
      if (expected) stale += 1;
    }
    assert.ok(stale > 0 && stale < 40, `some accounts are stale and some are not (${stale} of 40)`);
  });

  it('filters the customers and segments by signal: exactly the accounts whose Year row has it', async () => {
    const years = await storedRows('Year');
    const having = (signal: SignalName) =>
      years
        .filter((r) => (r.Signals ?? []).includes(signal))
        .map((r) => r.AccountId)
        .sort();
    let some = 0;
    for (const signal of SIGNALS) {
      const expected = having(signal);
      if (expected.length) some += 1;
      const { pages, rows } = await allPages(`signal=${signal}&sort=AccountId&order=asc&pageSize=100`);
      assert.deepEqual(
        rows.map((r) => r.AccountId),
        expected,
        signal,
      );
      assert.equal(pages[0]?.total, expected.length, `${signal} total`);
      const preview = await app.api<{ members: number }>('POST', '/api/enrichments/sales/segments/preview', {
        rules: { combinator: 'and', rules: [{ column: 'Signals', operator: 'has', value: signal }] },
      });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.equal(preview.body.members, expected.length, `${signal} segment`);
    }
    assert.ok(some >= 2, `the demo tenant shows at least two of the signals (${some})`);

    // A saved segment: unanswered or cooling, and not stale.
    const created = await app.api<{ segmentId: string }>('POST', '/api/enrichments/sales/segments', {
      name: 'Slipping, still in touch',
      rules: {
        combinator: 'and',
        rules: [
          {
            combinator: 'or',
            rules: [
              { column: 'Signals', operator: 'has', value: 'Unanswered' },
              { column: 'Signals', operator: 'has', value: 'Cooling' },
            ],
          },
          { column: 'Signals', operator: 'hasNot', value: 'Stale' },
        ],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const members = await app.api<{ rows: EngagementRow[] }>(
      'GET',
      `/api/enrichments/sales/segments/${created.body.segmentId}/members?sort=AccountId&order=asc&pageSize=100`,
    );
    const slipping = years
      .filter((r) => {
        const signals = r.Signals ?? [];
        return (signals.includes('Unanswered') || signals.includes('Cooling')) && !signals.includes('Stale');
      })
      .map((r) => r.AccountId)
      .sort();
    assert.deepEqual(
      members.body.rows.map((r) => r.AccountId),
      slipping,
    );

    const bad = await app.api<ErrorBody>('GET', '/api/enrichments/sales/results/rows?signal=Ghosted');
    assert.equal(bad.status, 400);
    assert.match(
      JSON.stringify(bad.body),
      /signal must be one of Stale, Unanswered, SingleThreaded, Cooling/,
    );
  });

  it("explains every account's score on its card, agreeing with its Year row and the other cards", async () => {
    const years = await storedRows('Year');
    const cards = await Promise.all(
      years.map(
        async (year) =>
          (await app.api<Card>('GET', `/api/enrichments/sales/accounts/${year.AccountId}`)).body,
      ),
    );
    // Each card's Year raw in whole micro-units, as the engine sums it.
    const units = (e: CardScoreExplanation) =>
      Math.round(e.emailsTo * 1e6) + Math.round(e.emailsFrom * 1e6) + Math.round(e.meetings * 1e6);
    const raws = cards.map((card) => (card.explanation ? units(card.explanation) : Number.NaN));
    const active = raws.filter((raw) => raw > 0);
    assert.equal(active.length, years.filter((y) => y.EngagementStartDate !== null).length);
    const meeting = 4 * 1e6;
    cards.forEach((card, i) => {
      const e = card.explanation;
      const year = years[i];
      const raw = raws[i] ?? Number.NaN;
      assert.ok(e && year, `${year?.AccountId} has an explanation`);
      assert.equal(card.year.AccountId, year.AccountId);
      assert.equal(e.score, year.EngagementScore, year.AccountId);
      assert.deepEqual(e.weights, { emailTo: 1, emailFrom: 1.5, meeting: 4 });
      assert.equal(e.halfLifeDays, 90);
      assert.equal(e.activeAccounts, active.length);
      assert.equal(e.emailsTo > 0, year.NoOfEmails_ToAccount > 0, `${year.AccountId} emails to`);
      assert.equal(e.emailsFrom > 0, year.NoOfEmails_FromAccount > 0, `${year.AccountId} emails from`);
      const meetings = year.NoOfMeetings_ToAccount + year.NoOfMeetings_FromAccount;
      assert.equal(e.meetings > 0, meetings > 0, `${year.AccountId} meetings`);
      const above = active.filter((other) => other > raw).length;
      const same = active.filter((other) => other === raw).length;
      const withMeeting = active.filter((other) => other <= raw + meeting).length + (raw > 0 ? 0 : 1);
      assert.deepEqual(
        [e.rank, e.tiedWith, e.scoreWithMeeting],
        [
          raw > 0 ? above + 1 : null,
          raw > 0 ? same - 1 : 0,
          Math.round((100 * withMeeting) / (active.length + (raw > 0 ? 0 : 1))),
        ],
        year.AccountId,
      );
    });
    assert.ok(active.length > 5 && active.length < years.length, 'active and quiet accounts both');
  });

  it('finds accounts by name or id for the card', async () => {
    const byName = await app.api<{ runId: string; accounts: { AccountId: string; band: string }[] }>(
      'GET',
      '/api/enrichments/sales/accounts?search=contoso',
    );
    assert.equal(byName.status, 200);
    assert.equal(byName.body.runId, first.runId);
    assert.ok(byName.body.accounts.some((a) => a.AccountId === CONTOSO));
    const byId = await app.api<{ accounts: { AccountId: string; EngagementScore: number; band: string }[] }>(
      'GET',
      `/api/enrichments/sales/accounts?search=${AWKWARD_ID}`,
    );
    const [awkward] = byId.body.accounts;
    const stored = await results.readRow<EngagementRow>('Office', [AWKWARD_ID, 'Year']);
    assert.deepEqual(awkward, {
      AccountId: AWKWARD_ID,
      AccountName: AWKWARD_NAME,
      EngagementScore: stored?.EngagementScore,
      band: band(stored?.EngagementScore ?? -1),
    });
  });

  it('exports the output entity as CSV with the contract columns, quoted where needed', async () => {
    const all = await app.api<string>('GET', '/api/enrichments/sales/results/export.csv');
    assert.equal(all.status, 200);
    assert.match(all.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(all.headers.get('content-disposition') ?? '', /attachment; filename="Office\.csv"/);
    const [header] = all.body.split('\n');
    assert.equal(header, ROW_COLUMNS.join(','));
    const records = parseCsv(all.body, { columns: true }) as Record<string, string>[];
    const stored = await storedRows();
    assert.equal(records.length, stored.length);
    const key = (r: { AccountId?: string; AggregationLevel?: string; AggregationStartDate?: string }) =>
      `${r.AccountId}|${r.AggregationLevel}|${r.AggregationStartDate}`;
    const expected = new Map(
      stored.map((r) => [
        key(r),
        Object.fromEntries(ROW_COLUMNS.map((c) => [c, r[c] === null ? '' : String(r[c])])),
      ]),
    );
    for (const record of records) assert.deepEqual(record, expected.get(key(record)));
    assert.ok(records.some((r) => r.AccountName === AWKWARD_NAME));
    assert.ok(all.body.includes('"Northwind ""Blue"",\nTraders"'));

    const weeks = await app.api<string>('GET', '/api/enrichments/sales/results/export.csv?level=Week');
    const weekRecords = parseCsv(weeks.body, { columns: true }) as Record<string, string>[];
    assert.equal(weekRecords.length, (await storedRows('Week')).length);
    assert.ok(weekRecords.every((r) => r.AggregationLevel === 'Week'));
    assert.match(weeks.headers.get('content-disposition') ?? '', /filename="Office-Week\.csv"/);
  });

  it('shows the trend against the previous run and the enriched accounts over time', async () => {
    const before = await app.api<RowPage>('GET', '/api/enrichments/sales/results/rows?pageSize=10');
    const previous = await results.readRow<EngagementRow>('Office', [CONTOSO, 'Year']);
    const second = await runToEnd(app, 'sales');
    assert.equal(second.status, 'succeeded', second.error ?? '');

    const card = (await app.api<Card>('GET', `/api/enrichments/sales/accounts/${CONTOSO}`)).body;
    assert.equal(card.runId, second.runId);
    assert.equal(card.previousScore, previous?.EngagementScore);
    const delta = card.year.EngagementScore - (previous?.EngagementScore ?? NaN);
    assert.equal(card.trend, delta > 2 ? 'up' : delta < -2 ? 'down' : 'flat');

    const history = await app.api<{ runs: { runId: string; accountsEnriched: number; asOf: string }[] }>(
      'GET',
      '/api/enrichments/sales/results/history',
    );
    assert.deepEqual(
      history.body.runs.map((r) => [r.runId, r.asOf, r.accountsEnriched]),
      [
        [first.runId, first.asOf, first.counts?.accountsEnriched],
        [second.runId, second.asOf, second.counts?.accountsEnriched],
      ],
    );

    // A page token of the superseded run no longer applies.
    const stale = await app.api<ErrorBody>(
      'GET',
      `/api/enrichments/sales/results/rows?pageSize=10&page=${encodeURIComponent(before.body.nextPage ?? '')}`,
    );
    assert.equal(stale.status, 409);
    first = second;
  });

  it("words the shown run's signals with the thresholds that run used, until a run with new ones", async () => {
    const containers = await appContainers(app);
    const tenantId = tenantOf(app);
    const configs = new ConfigurationRepository(containers.configurations, tenantId);
    const shownThresholds = async () => {
      const card = (await app.api<Card>('GET', `/api/enrichments/sales/accounts/${CONTOSO}`)).body;
      const page = (await app.api<RowPage>('GET', '/api/enrichments/sales/results/rows?pageSize=5')).body;
      assert.deepEqual(card.signalThresholds, page.signalThresholds, 'the card and the list agree');
      return card.signalThresholds;
    };
    const ran = { ...DEFAULT_SIGNAL_THRESHOLDS, staleDays: 60 };
    assert.deepEqual(await shownThresholds(), ran);

    const config = await loadEnrichment(containers, tenantId, 'sales');
    assert.ok(config);
    const save = (changed: typeof config) =>
      configs.upsert({ ...changed, id: enrichmentDocumentId('sales'), type: ENRICHMENT_TYPE });
    await save({
      ...config,
      staleThresholdDays: 90,
      engagement: { ...config.engagement, signals: { ...config.engagement.signals, unansweredDays: 14 } },
    });
    try {
      assert.deepEqual(await shownThresholds(), ran, 'a saved change rewords nothing before the next run');
      const next = await runToEnd(app, 'sales');
      assert.equal(next.status, 'succeeded', next.error ?? '');
      assert.deepEqual(await shownThresholds(), { ...ran, staleDays: 90, unansweredDays: 14 });
      first = next;
    } finally {
      await save(config);
    }
  });

  it('keeps the previous results visible when a run fails', async () => {
    const shownBefore = await storedRows();
    // Every Graph request is throttled until the retries give up: the run cannot resolve its users.
    app.stack.graph.faults.add({ kind: 'throttle', retryAfterSeconds: 0 });
    const failed = await runToEnd(app, 'sales');
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /throttl/i);
    assert.ok(failed.finishedAt);

    const summary = await app.api<Summary>('GET', '/api/enrichments/sales/results/summary');
    assert.equal(summary.body.results?.runId, first.runId);
    assert.deepEqual(summary.body.lastRun, {
      runId: failed.runId,
      status: 'failed',
      queuedAt: failed.queuedAt,
      finishedAt: failed.finishedAt,
      error: failed.error,
    });
    const shownAfter = await storedRows();
    assert.equal(shownAfter.length, shownBefore.length);
    assert.ok(shownAfter.every((r) => r.runId === first.runId));
    const card = await app.api<Card>('GET', `/api/enrichments/sales/accounts/${CONTOSO}`);
    assert.equal(card.body.runId, first.runId);
  });
});

describe('results API for sellers', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ LOCAL_USER_ROLE: 'seller' });
    await saveEnrichment(app, {
      enrichmentId: 'sales',
      tracked: ['ana@fabrikam.com', 'ruth.mehta@fabrikam.com'],
      consentGrantedAt: Date.now(),
    });
    const tenantId = tenantOf(app);
    await app.stack.runs.startRun(tenantId, 'sales', {
      kind: 'schedule',
      scheduledFor: new Date().toISOString(),
    });
    await app.stack.runs.idle();
  });
  after(async () => app?.close());

  it('lets sellers read cards and find accounts, and nothing else', async () => {
    const card = await app.api<Card>('GET', `/api/enrichments/sales/accounts/${CONTOSO}`);
    assert.equal(card.status, 200);
    assert.equal(card.body.year.AccountId, CONTOSO);
    const search = await app.api<{ accounts: { AccountId: string }[] }>(
      'GET',
      '/api/enrichments/sales/accounts?search=contoso',
    );
    assert.equal(search.status, 200);
    assert.ok(search.body.accounts.some((a) => a.AccountId === CONTOSO));

    for (const [method, path] of [
      ['GET', '/api/enrichments/sales/results/summary'],
      ['GET', '/api/enrichments/sales/results/history'],
      ['GET', '/api/enrichments/sales/results/rows'],
      ['GET', '/api/enrichments/sales/results/export.csv'],
      ['POST', '/api/enrichments/sales/runs'],
      ['GET', '/api/enrichments/sales/runs'],
      ['GET', '/api/enrichments/sales/schedule'],
    ] as const) {
      const answer = await app.api<ErrorBody>(method, path);
      assert.equal(answer.status, 403, `${method} ${path}`);
    }
  });

  it('documents which routes sellers may call', async () => {
    const doc = await app.api<{ paths: Record<string, Record<string, { 'x-access': string }>> }>(
      'GET',
      '/api/openapi.json',
    );
    const access = (path: string) =>
      doc.body.paths[`/api/enrichments/{enrichmentId}${path}`]?.get?.['x-access'];
    assert.equal(access('/accounts/{accountId}'), 'member');
    assert.equal(access('/accounts'), 'member');
    assert.equal(access('/results/summary'), 'admin');
    assert.equal(access('/results/rows'), 'admin');
    assert.equal(access('/results/export.csv'), 'admin');
    assert.equal(access('/results/history'), 'admin');
  });
});
