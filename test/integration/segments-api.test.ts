import assert from 'node:assert/strict';
import type { EngagementRow } from '../../core/engine';
import { ResultsRepository } from '../../core/store/results-repository';
import { appContainers, saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import { changeEnrichment } from '../support/segment-fixture';
import { publishRows, yearRow } from '../support/segment-rows';
import { startTestApp, type TestApp } from '../support/test-app';

interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}
interface SegmentView {
  segmentId: string;
  name: string;
  description: string | null;
  builtIn: boolean;
  rules: unknown;
  etag: string | null;
  members: number | null;
  createdBy: { email: string } | null;
}
interface SegmentList {
  runId: string | null;
  accounts: number;
  segments: SegmentView[];
}
interface MemberPage {
  runId: string | null;
  total: number;
  rows: EngagementRow[];
  nextPage?: string;
}
interface Measures {
  accounts: number;
  count: number;
  sum: number;
  average: number | null;
  min: number | null;
  max: number | null;
}

/**
 * Eight accounts. With a stale threshold of 45 days, the stale ones (no email and no meeting for
 * more than 45 days, a null counting as none in the year) are A2, A4, A5, A7 and A8.
 */
const ROWS: EngagementRow[] = [
  yearRow({
    AccountId: 'A1',
    AccountName: 'Contoso',
    EngagementScore: 90,
    DaysSinceLastEmail: 2,
    DaysSinceLastMeeting: 10,
    NoOfEmails_ToAccount: 30,
    AverageDuration_Of_Meetings: 45,
  }),
  yearRow({
    AccountId: 'A2',
    AccountName: 'Fabrikam',
    EngagementScore: 70,
    DaysSinceLastEmail: 50,
    DaysSinceLastMeeting: 46,
    NoOfEmails_ToAccount: 12,
    AverageDuration_Of_Meetings: 30,
  }),
  yearRow({
    AccountId: 'A3',
    AccountName: 'Northwind',
    EngagementScore: 40,
    DaysSinceLastEmail: 45,
    NoOfEmails_ToAccount: 5,
  }),
  yearRow({
    AccountId: 'A4',
    AccountName: 'Tailspin',
    EngagementScore: 20,
    DaysSinceLastMeeting: 100,
    NoOfEmails_ToAccount: 1,
    AverageDuration_Of_Meetings: 60,
  }),
  yearRow({ AccountId: 'A5', AccountName: 'Litware' }),
  yearRow({
    AccountId: 'A6',
    AccountName: 'Adatum',
    EngagementScore: 55,
    DaysSinceLastEmail: 200,
    DaysSinceLastMeeting: 3,
    NoOfEmails_ToAccount: 8,
    AverageDuration_Of_Meetings: 15,
  }),
  yearRow({
    AccountId: 'A7',
    AccountName: 'Contoso Pharma',
    EngagementScore: 10,
    DaysSinceLastEmail: 46,
    DaysSinceLastMeeting: 90,
    NoOfEmails_ToAccount: 2,
  }),
  yearRow({ AccountId: 'A8', AccountName: 'Proseware' }),
];

const STALE_AT_45 = {
  combinator: 'and',
  rules: [
    {
      combinator: 'or',
      rules: [
        { column: 'DaysSinceLastEmail', operator: 'gt', value: 45 },
        { column: 'DaysSinceLastEmail', operator: 'isNull' },
      ],
    },
    {
      combinator: 'or',
      rules: [
        { column: 'DaysSinceLastMeeting', operator: 'gt', value: 45 },
        { column: 'DaysSinceLastMeeting', operator: 'isNull' },
      ],
    },
  ],
};

const contains = (value: string) => ({ column: 'AccountName', operator: 'contains', value });
const ids = (rows: EngagementRow[]) => rows.map((r) => r.AccountId);

describe('segments API', () => {
  let app: TestApp;
  let results: ResultsRepository;
  const base = '/api/enrichments/sales';

  before(async () => {
    app = await startTestApp();
    await saveEnrichment(app, {
      enrichmentId: 'sales',
      tracked: ['ana@fabrikam.com'],
      consentGrantedAt: null,
    });
    await saveEnrichment(app, {
      enrichmentId: 'empty',
      tracked: ['ana@fabrikam.com'],
      consentGrantedAt: null,
      entityName: 'Empty',
    });
    await changeEnrichment(app, 'sales', { staleThresholdDays: 45 });
    const containers = await appContainers(app);
    results = new ResultsRepository(containers.results, tenantOf(app));
    // Month rows and another tenant's rows are never part of a segment.
    const months = ROWS.map((r) => ({ ...r, AggregationLevel: 'Month' as const }));
    await publishRows(results, 'Office', 'run-1', [...ROWS, ...months]);
    await publishRows(new ResultsRepository(containers.results, 'another-tenant'), 'Office', 'run-x', ROWS);
  });
  after(async () => app?.close());

  it('lists the built-in Stale accounts segment, its rules following the enrichment’s threshold', async () => {
    const list = await app.api<SegmentList>('GET', `${base}/segments`);
    assert.equal(list.status, 200);
    assert.equal(list.body.runId, 'run-1');
    assert.equal(list.body.accounts, 8);
    const [stale] = list.body.segments;
    assert.equal(stale?.segmentId, 'stale');
    assert.equal(stale.name, 'Stale accounts');
    assert.equal(stale.builtIn, true);
    assert.equal(stale.etag, null);
    assert.deepEqual(stale.rules, STALE_AT_45);
    assert.equal(stale.members, 5);

    const members = await app.api<MemberPage>(
      'GET',
      `${base}/segments/stale/members?sort=AccountId&order=asc`,
    );
    assert.deepEqual(ids(members.body.rows), ['A2', 'A4', 'A5', 'A7', 'A8']);

    await changeEnrichment(app, 'sales', { staleThresholdDays: 60 });
    try {
      const at60 = await app.api<SegmentView>('GET', `${base}/segments/stale`);
      // A2 (50 days since the last email) and A7 (46) are not stale at 60 days.
      assert.equal(at60.body.members, 3);
      assert.match(at60.body.description ?? '', /more than 60 days/);
    } finally {
      await changeEnrichment(app, 'sales', { staleThresholdDays: 45 });
    }
  });

  it('saves a segment, counts and pages its members, updates it with its etag and deletes it', async () => {
    const created = await app.api<SegmentView>('POST', `${base}/segments`, {
      name: 'Engaged',
      description: 'High score or many emails',
      rules: {
        combinator: 'or',
        rules: [
          { column: 'EngagementScore', operator: 'ge', value: 50 },
          { column: 'NoOfEmails_ToAccount', operator: 'gt', value: 10 },
        ],
      },
    });
    assert.equal(created.status, 201);
    const { segmentId, etag } = created.body;
    assert.equal(created.headers.get('location'), `segments/${segmentId}`);
    assert.equal(created.body.builtIn, false);
    assert.equal(created.body.members, 3);
    assert.equal(created.body.createdBy?.email, 'admin@fabrikam.com');
    assert.ok(etag);

    // Sorted by score, two to a page: A6 (55), A2 (70), then A1 (90).
    const first = await app.api<MemberPage>(
      'GET',
      `${base}/segments/${segmentId}/members?sort=EngagementScore&order=asc&pageSize=2`,
    );
    assert.equal(first.status, 200);
    assert.equal(first.body.total, 3);
    assert.deepEqual(ids(first.body.rows), ['A6', 'A2']);
    assert.deepEqual(Object.keys(first.body.rows[0] ?? {}).sort(), Object.keys(ROWS[0] ?? {}).sort());
    const second = await app.api<MemberPage>(
      'GET',
      `${base}/segments/${segmentId}/members?sort=EngagementScore&order=asc&pageSize=2&page=${first.body.nextPage}`,
    );
    assert.deepEqual(ids(second.body.rows), ['A1']);
    assert.equal(second.body.nextPage, undefined);

    const listed = await app.api<SegmentList>('GET', `${base}/segments`);
    assert.deepEqual(
      listed.body.segments.map((s) => [s.name, s.members]),
      [
        ['Stale accounts', 5],
        ['Engaged', 3],
      ],
    );

    const twin = await app.api<ErrorBody>('POST', `${base}/segments`, {
      name: ' ENGAGED ',
      rules: { combinator: 'and', rules: [contains('x')] },
    });
    assert.equal(twin.status, 409);
    assert.match(twin.body.error.message, /named "ENGAGED" exists already/);
    const builtInName = await app.api<ErrorBody>('POST', `${base}/segments`, {
      name: 'stale accounts',
      rules: { combinator: 'and', rules: [contains('x')] },
    });
    assert.equal(builtInName.status, 409);

    const updated = await app.api<SegmentView>('PUT', `${base}/segments/${segmentId}`, {
      name: 'Contoso family',
      rules: { combinator: 'and', rules: [contains('CONTOSO')] },
      etag,
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.members, 2);
    assert.equal(updated.body.description, null);
    assert.notEqual(updated.body.etag, etag);

    const stale = await app.api<ErrorBody>('PUT', `${base}/segments/${segmentId}`, {
      name: 'Lost update',
      rules: { combinator: 'and', rules: [contains('a')] },
      etag,
    });
    assert.equal(stale.status, 409);
    assert.match(stale.body.error.message, /changed by someone else/);
    assert.equal(
      (await app.api<SegmentView>('GET', `${base}/segments/${segmentId}`)).body.name,
      'Contoso family',
    );

    const missing = await app.api<ErrorBody>('PUT', `${base}/segments/no-such-segment`, {
      name: 'X',
      rules: { combinator: 'and', rules: [contains('a')] },
      etag: 'x',
    });
    assert.equal(missing.status, 404);

    assert.equal((await app.api('DELETE', `${base}/segments/${segmentId}`)).status, 204);
    assert.equal((await app.api('GET', `${base}/segments/${segmentId}`)).status, 404);
    assert.equal((await app.api('DELETE', `${base}/segments/${segmentId}`)).status, 404);
  });

  it('keeps the built-in segment as it is', async () => {
    const put = await app.api<ErrorBody>('PUT', `${base}/segments/stale`, {
      name: 'Stale accounts',
      rules: { combinator: 'and', rules: [contains('a')] },
      etag: 'x',
    });
    assert.equal(put.status, 409);
    assert.match(put.body.error.message, /built in/);
    assert.equal((await app.api('DELETE', `${base}/segments/stale`)).status, 409);
  });

  it('counts the members of unsaved rules', async () => {
    const preview = (rules: unknown) =>
      app.api<{ accounts: number; members: number }>('POST', `${base}/segments/preview`, { rules });
    const never = await preview({
      combinator: 'and',
      rules: [{ column: 'DaysSinceLastEmail', operator: 'isNull' }],
    });
    assert.equal(never.status, 200);
    assert.deepEqual(
      { accounts: never.body.accounts, members: never.body.members },
      { accounts: 8, members: 3 },
    );
    const nested = await preview({
      combinator: 'and',
      rules: [
        contains('contoso'),
        {
          combinator: 'or',
          rules: [
            { column: 'EngagementScore', operator: 'between', value: [0, 15] },
            { column: 'AverageDuration_Of_Meetings', operator: 'isNotNull' },
          ],
        },
      ],
    });
    // Contoso (45-minute meetings) and Contoso Pharma (score 10).
    assert.equal(nested.body.members, 2);
  });

  it('runs the largest rule set allowed: four levels deep, fifty conditions', async () => {
    const condition = { column: 'NoOfEmails_ToAccount', operator: 'ge', value: 100 };
    const level4 = { combinator: 'and', rules: [...Array(11).fill(condition), contains('Contoso')] };
    const level3 = { combinator: 'or', rules: [...Array(12).fill(condition), level4] };
    const level2 = { combinator: 'and', rules: [contains('contoso'), ...Array(11).fill(condition), level3] };
    const level1 = { combinator: 'or', rules: [...Array(14).fill(condition), level2] };
    const answer = await app.api<{ members: number }>('POST', `${base}/segments/preview`, { rules: level1 });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.members, 0);
  });

  it('refuses malformed rules with 400, naming the path of every problem', async () => {
    const bad = await app.api<ErrorBody>('POST', `${base}/segments`, {
      name: '',
      rules: {
        combinator: 'and',
        rules: [
          { column: 'EngagementScore', operator: 'gt', value: 50 },
          { column: 'EngagementScore', operator: 'gt', value: 'fifty' },
          { combinator: 'or', rules: [{ column: 'Revenue', operator: 'gt', value: 1 }] },
          { column: 'AccountName', operator: 'between', value: [1, 2] },
        ],
      },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'BadRequest');
    assert.deepEqual(
      bad.body.error.fields?.map((f) => f.field),
      ['name', 'rules.rules.1.value', 'rules.rules.2.rules.0.column', 'rules.rules.3.operator'],
    );
    const column = bad.body.error.fields?.find((f) => f.field === 'rules.rules.2.rules.0.column');
    assert.match(column?.message ?? '', /"Revenue" is not a column a segment can use/);

    let deep: unknown = contains('a');
    for (let i = 0; i < 1_500; i++) deep = { combinator: 'and', rules: [deep] };
    const tooDeep = await app.api<ErrorBody>('POST', `${base}/segments/preview`, { rules: deep });
    assert.equal(tooDeep.status, 400);
    assert.match(tooDeep.body.error.fields?.[0]?.message ?? '', /nest at most 4 deep/);

    const huge = await app.api<ErrorBody>('POST', `${base}/segments/preview`, {
      rules: { combinator: 'and', rules: Array(3_000).fill(contains('a long enough value')) },
    });
    assert.equal(huge.status, 413);

    const sort = await app.api<ErrorBody>('GET', `${base}/segments/stale/members?sort=Revenue`);
    assert.equal(sort.status, 400);
    assert.equal(sort.body.error.fields?.[0]?.field, 'query.sort');
    const token = await app.api<ErrorBody>('GET', `${base}/segments/stale/members?page=not-a-token`);
    assert.equal(token.status, 400);
    const textColumn = await app.api<ErrorBody>('GET', `${base}/measures?column=AccountName`);
    assert.equal(textColumn.status, 400);
    assert.equal(textColumn.body.error.fields?.[0]?.field, 'query.column');
  });

  it('measures a column over all accounts and over a segment, leaving nulls out', async () => {
    const measure = async (query: string) => {
      const answer = await app.api<Measures & { runId: string }>('GET', `${base}/measures?${query}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const { accounts, count, sum, average, min, max } = answer.body;
      return { accounts, count, sum, average, min, max };
    };
    // 90 + 70 + 40 + 20 + 0 + 55 + 10 + 0 = 285 over 8 accounts.
    assert.deepEqual(await measure('column=EngagementScore'), {
      accounts: 8,
      count: 8,
      sum: 285,
      average: 35.625,
      min: 0,
      max: 90,
    });
    // Stale: A2 70, A4 20, A5 0, A7 10, A8 0.
    assert.deepEqual(await measure('column=EngagementScore&segmentId=stale'), {
      accounts: 5,
      count: 5,
      sum: 100,
      average: 20,
      min: 0,
      max: 70,
    });
    // Meetings lasted 45, 30, 60 and 15 minutes on average at four accounts; the others had none.
    assert.deepEqual(await measure('column=AverageDuration_Of_Meetings'), {
      accounts: 8,
      count: 4,
      sum: 150,
      average: 37.5,
      min: 15,
      max: 60,
    });
    assert.equal((await app.api('GET', `${base}/measures?segmentId=nothing`)).status, 404);
  });

  it('answers with empty figures before the first run, and 404 for an unknown enrichment', async () => {
    const list = await app.api<SegmentList>('GET', '/api/enrichments/empty/segments');
    assert.equal(list.status, 200);
    assert.equal(list.body.runId, null);
    assert.equal(list.body.accounts, 0);
    assert.equal(list.body.segments[0]?.members, null);
    const members = await app.api<MemberPage>('GET', '/api/enrichments/empty/segments/stale/members');
    assert.deepEqual({ total: members.body.total, rows: members.body.rows }, { total: 0, rows: [] });
    const measures = await app.api<Measures>('GET', '/api/enrichments/empty/measures');
    assert.deepEqual([measures.body.accounts, measures.body.average, measures.body.min], [0, null, null]);
    assert.equal((await app.api('GET', '/api/enrichments/nope/segments')).status, 404);
  });

  it('refuses a page token once a newer run is shown', async () => {
    const first = await app.api<MemberPage>('GET', `${base}/segments/stale/members?pageSize=2`);
    assert.ok(first.body.nextPage);
    await publishRows(results, 'Office', 'run-2', ROWS);
    const next = await app.api<ErrorBody>(
      'GET',
      `${base}/segments/stale/members?pageSize=2&page=${first.body.nextPage}`,
    );
    assert.equal(next.status, 409);
    const again = await app.api<MemberPage>('GET', `${base}/segments/stale/members?pageSize=2`);
    assert.equal(again.body.runId, 'run-2');
    assert.equal(again.body.total, 5);
  });

  it('describes every segment route in the OpenAPI document', async () => {
    const { body } = await app.api<{
      paths: Record<string, Record<string, { summary: string; tags: string[]; requestBody?: unknown }>>;
    }>('GET', '/api/openapi.json');
    const expected = [
      ['get', '/api/enrichments/{enrichmentId}/segments'],
      ['post', '/api/enrichments/{enrichmentId}/segments'],
      ['post', '/api/enrichments/{enrichmentId}/segments/preview'],
      ['get', '/api/enrichments/{enrichmentId}/segments/{segmentId}'],
      ['put', '/api/enrichments/{enrichmentId}/segments/{segmentId}'],
      ['delete', '/api/enrichments/{enrichmentId}/segments/{segmentId}'],
      ['get', '/api/enrichments/{enrichmentId}/segments/{segmentId}/members'],
      ['get', '/api/enrichments/{enrichmentId}/measures'],
      ['get', '/api/enrichments/{enrichmentId}/alerts'],
      ['get', '/api/enrichments/{enrichmentId}/alerts/summary'],
    ] as const;
    for (const [method, path] of expected) {
      const operation = body.paths[path]?.[method];
      assert.ok(operation?.summary, `${method} ${path}`);
      assert.ok(['Segments', 'Alerts'].includes(operation.tags[0] ?? ''));
    }
    assert.match(
      JSON.stringify(body.paths['/api/enrichments/{enrichmentId}/segments']?.post?.requestBody),
      /"startsWith"/,
    );
  });
});
