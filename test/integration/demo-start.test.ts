import assert from 'node:assert/strict';
import { ActivityTypes, TestAdapter, type ConversationAccount } from 'botbuilder';
import type { ConsentState, EnrichmentConfig } from '../../core/config/enrichment-config';
import type { StoredEngagementRow } from '../../core/results/stored-rows';
import { ResultsRepository } from '../../core/store/results-repository';
import { demoWanted, type DemoStart } from '../../local/demo-enrichment';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';
import { cardOf, cardTexts, checkAdaptiveCard } from '../support/adaptive-cards';
import { expectedTrackedUsers } from '../support/configuration';
import { appContainers, demoCustomers, tenantOf } from '../support/enrichment-fixture';
import { testLocalSettings } from '../support/local-settings';
import { watchRun, type RunView } from '../support/run-api';
import { tempDir } from '../support/temp-dir';
import type { ApiAnswer, TestApp } from '../support/test-app';

const DEMO = 'demo-sales-engagement';
const SALES_GROUPS = ['ussales@fabrikam.com', 'emeasales@fabrikam.com', 'partnersales@fabrikam.com'];
const CONTOSO = 'AC-00001';
const BOT = { id: '28:account-engagement', name: 'Account engagement' };

/** The stack as `npm start` starts it (demo on), without the Playground, on `dataDir`. */
async function startApp(
  dataDir: string,
  overrides: Record<string, string> = {},
  options: Pick<LocalStackOptions, 'demo'> = { demo: true },
): Promise<TestApp> {
  const { settings, cleanup } = testLocalSettings({ ...overrides, LOCAL_DATA_DIR: dataDir });
  let stack: LocalStack;
  try {
    stack = await startLocalStack(settings, options);
  } catch (error) {
    cleanup();
    throw error;
  }
  const url = stack.server.url;
  return {
    stack,
    url,
    async api<T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return {
        status: response.status,
        body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
        headers: response.headers,
      };
    },
    async close() {
      await stack.close();
      cleanup();
    },
  };
}

async function enrichments(app: TestApp): Promise<EnrichmentConfig[]> {
  const answer = await app.api<{ enrichments: EnrichmentConfig[] }>('GET', '/api/enrichments');
  assert.equal(answer.status, 200);
  return answer.body.enrichments;
}

async function runsOf(app: TestApp, enrichmentId: string): Promise<RunView[]> {
  const answer = await app.api<{ runs: RunView[] }>('GET', `/api/enrichments/${enrichmentId}/runs`);
  assert.equal(answer.status, 200);
  return answer.body.runs;
}

function created(demo: DemoStart | undefined): Extract<DemoStart, { created: true }> {
  assert.ok(demo?.created, `the demo was created: ${JSON.stringify(demo)}`);
  return demo;
}

describe('npm start: the ready demo', function () {
  this.timeout(180_000);

  describe('on a fresh store', () => {
    const data = tempDir('demo-start');
    let app: TestApp | undefined;
    const current = () => {
      assert.ok(app);
      return app;
    };

    before(async () => {
      app = await startApp(data.path);
    });
    after(async () => {
      await app?.close();
      data.cleanup();
    });

    it('creates the demo enrichment through the wizard save: sales groups, demo dataset, mapping', async () => {
      const demo = created(current().stack.demo);
      const [enrichment, ...others] = await enrichments(current());
      assert.equal(others.length, 0);
      assert.ok(enrichment);
      assert.equal(enrichment.enrichmentId, DEMO);
      assert.equal(demo.enrichment.enrichmentId, DEMO);
      assert.equal(enrichment.name, 'Demo sales engagement');
      assert.deepEqual(enrichment.tracked, SALES_GROUPS);
      const sellers = expectedTrackedUsers(current().stack.graph.tenant, SALES_GROUPS);
      assert.equal(sellers.size, 40, "the sales groups hold the demo tenant's 40 sellers");
      assert.equal(enrichment.trackedSummary.resolvedUsers, sellers.size);
      assert.deepEqual(enrichment.trackedSummary.unknown, []);
      assert.equal(enrichment.datasetId, 'demo');
      assert.deepEqual(enrichment.mapping, {
        emailField: 'Email',
        domainField: 'Domain',
        ownerField: 'OwnerEmail',
      });
      assert.equal(enrichment.version, 1);
      assert.equal(enrichment.entityName, 'Office');
      const admin = { userId: 'dev:admin@fabrikam.com', email: 'admin@fabrikam.com', name: 'Local Admin' };
      assert.deepEqual(enrichment.createdBy, admin);
      assert.deepEqual(enrichment.consentStatement.acceptedBy, admin);

      const dataset = await current().api<{ name: string }>('GET', '/api/datasets/demo');
      assert.equal(dataset.status, 200);
      assert.equal(dataset.body.name, 'Demo customers');
    });

    it('records consent granted by the tenant admin, as a real grant is recorded', async () => {
      const { stack } = current();
      const answer = await current().api<ConsentState>('GET', `/api/enrichments/${DEMO}/consent`);
      assert.equal(answer.status, 200);
      const consent = answer.body;
      assert.equal(consent.status, 'granted');
      assert.equal(consent.requestedTo, 'admin@fabrikam.com');
      assert.equal(consent.requestedBy?.name, 'Local Admin');
      assert.ok(consent.requestedAt && consent.grantedAt);
      assert.ok(Date.parse(consent.grantedAt) >= Date.parse(consent.requestedAt));
      assert.equal(consent.grantedTenantId, tenantOf(current()));
      // The request was mailed to the tenant admin, its link leading back to this app's callback.
      assert.equal(stack.graph.sentMail.length, 1);
      const mail = stack.graph.sentMail[0]?.message;
      assert.match(
        String(mail?.subject),
        /Consent requested for Account engagement \("Demo sales engagement"\)/,
      );
      assert.deepEqual(mail?.toRecipients, [{ emailAddress: { address: 'admin@fabrikam.com' } }]);
      const html = (mail?.body as { content?: string } | undefined)?.content ?? '';
      assert.ok(html.includes(encodeURIComponent(`${current().url}/api/consent/callback`)), html);
    });

    it('starts the first run at once; it succeeds and publishes a row for every demo customer', async () => {
      const demo = created(current().stack.demo);
      const [first, ...others] = await runsOf(current(), DEMO);
      assert.equal(others.length, 0);
      assert.ok(first);
      assert.equal(first.runId, demo.run.runId);
      assert.equal(first.trigger.kind, 'first-run-after-consent');

      const end = await demo.finished;
      assert.equal(end.succeeded, true, end.run.error ?? '');
      const run = await watchRun(current(), DEMO, demo.run.runId);
      assert.equal(run.status, 'succeeded', run.error ?? '');
      assert.deepEqual(run.mailboxErrors, []);
      assert.equal(run.counts?.trackedUsers, 40);
      assert.ok((run.counts?.accountsEnriched ?? 0) > 0);

      const rows = await current().api<{ total: number; rows: { AccountId: string }[] }>(
        'GET',
        `/api/enrichments/${DEMO}/results/rows?level=Year&search=Contoso`,
      );
      assert.equal(rows.status, 200, JSON.stringify(rows.body));
      assert.ok(rows.body.rows.some((row) => row.AccountId === CONTOSO));
      const all = await current().api<{ total: number }>(
        'GET',
        `/api/enrichments/${DEMO}/results/rows?level=Year`,
      );
      assert.equal(all.body.total, demoCustomers().accounts.length);
    });

    it('answers "engagement for Contoso?" in the bot with the customer card', async () => {
      const demo = created(current().stack.demo);
      await demo.finished;
      const tenantId = tenantOf(current());
      const ana = current().stack.graph.tenant.users.find((u) => u.mail === 'ana@fabrikam.com');
      assert.ok(ana);
      const adapter = new TestAdapter((context) => current().stack.bot.bot.run(context), {
        channelId: 'msteams',
        serviceUrl: 'https://smba.example.invalid/teams/',
        from: { id: `29:${ana.id}`, aadObjectId: ana.id, name: 'Ana Diaz' },
        recipient: BOT,
        conversation: {
          id: 'a:personal-ana',
          conversationType: 'personal',
          tenantId,
          isGroup: false,
          name: '',
        } as ConversationAccount,
      });
      await adapter.processActivity({ type: ActivityTypes.Message, text: 'engagement for Contoso?' });
      const replies = adapter.activeQueue.splice(0);
      assert.equal(replies.length, 1);
      const card = cardOf(replies[0]);
      checkAdaptiveCard(card);
      const texts = cardTexts(card);
      const results = new ResultsRepository((await appContainers(current())).results, tenantId);
      const year = await results.readRow<StoredEngagementRow>('Office', [CONTOSO, 'Year']);
      assert.ok(year);
      assert.equal(year.AccountName, 'Contoso Ltd');
      assert.ok(
        texts.some((text) => text.includes(year.AccountName)),
        texts.join(' | '),
      );
      assert.ok(
        texts.includes(String(year.EngagementScore)),
        `score ${year.EngagementScore} in ${texts.join(' | ')}`,
      );
    });

    it('creates nothing on a restart on the same store', async () => {
      const before = await enrichments(current());
      const runsBefore = await runsOf(current(), DEMO);
      await current().close();
      app = undefined;
      app = await startApp(data.path);
      const demo = current().stack.demo;
      assert.equal(demo?.created, false);
      assert.match(demo.reason, /has an enrichment already \("Demo sales engagement"\)/);
      assert.deepEqual(await enrichments(current()), before);
      assert.deepEqual(
        (await runsOf(current(), DEMO)).map((r) => [r.runId, r.status]),
        runsBefore.map((r) => [r.runId, r.status]),
      );
      assert.equal(current().stack.graph.sentMail.length, 0, 'no consent request mailed again');
    });
  });

  describe('without the demo', () => {
    const data = tempDir('demo-empty');
    let app: TestApp | undefined;
    after(async () => {
      await app?.close();
      data.cleanup();
    });

    it('`--empty` or LOCAL_DEMO=empty turns the demo off', () => {
      assert.equal(demoWanted([], { LOCAL_DEMO: 'enrichment' }), true);
      assert.equal(demoWanted(['--empty'], { LOCAL_DEMO: 'enrichment' }), false);
      assert.equal(demoWanted([], { LOCAL_DEMO: 'empty' }), false);
    });

    it('with LOCAL_DEMO=empty creates nothing, and a later start leaves a store with a wizard draft alone', async () => {
      app = await startApp(data.path, { LOCAL_DEMO: 'empty' });
      assert.equal(app.stack.demo, undefined);
      assert.deepEqual(await enrichments(app), []);
      assert.equal(app.stack.graph.sentMail.length, 0);
      const draft = await app.api('PUT', '/api/enrichment/draft', { name: 'Mine' });
      assert.equal(draft.status, 200, JSON.stringify(draft.body));
      await app.close();
      app = undefined;

      app = await startApp(data.path);
      assert.equal(app.stack.demo?.created, false);
      assert.match(app.stack.demo.reason, /wizard draft/);
      assert.deepEqual(await enrichments(app), []);
    });

    it('starts all the same when the demo cannot be set up, and says why', async () => {
      const fresh = tempDir('demo-failed');
      // A sender that is no mailbox of the tenant: the consent request cannot be mailed.
      const broken = await startApp(fresh.path, { CONSENT_SENDER: 'nobody@fabrikam.com' });
      try {
        const demo = broken.stack.demo;
        assert.equal(demo?.created, false);
        assert.equal(demo.failed, true);
        assert.match(demo.reason, /consent request was not sent/);
        const health = await broken.api<{ status: string }>('GET', '/api/health');
        assert.equal(health.body.status, 'healthy');
        assert.deepEqual(await runsOf(broken, DEMO), []);
      } finally {
        await broken.close();
        fresh.cleanup();
      }
    });

    it('a stack started without the demo option (as tests start it) creates nothing', async () => {
      const fresh = tempDir('demo-off');
      const plain = await startApp(fresh.path, {}, {});
      try {
        assert.equal(plain.stack.demo, undefined);
        assert.deepEqual(await enrichments(plain), []);
      } finally {
        await plain.close();
        fresh.cleanup();
      }
    });
  });
});
