import { loadEnrichment, type EnrichmentConfig } from '../../../core/config/enrichment-config';
import type { RunRecord } from '../../../core/runs/run-record';
import type { AppServices } from '../../../server/services';
import { notFound, unprocessable } from '../errors';
import type { AnyRoute, HandlerInput } from '../route';
import { appRoute } from './app-route';
import { continuePaging, decodePageToken, encodePageToken } from './page-token';
import {
  enrichmentParams,
  runPageQuery,
  runPageSchema,
  runParams,
  runSchema,
  scheduleInfoSchema,
} from './run-schemas';

const TAG = 'Runs';

/** The caller's enrichment, or 404. */
export async function enrichmentOf(
  input: HandlerInput<{ enrichmentId: string }, unknown, unknown, AppServices>,
): Promise<EnrichmentConfig> {
  const config = await loadEnrichment(
    input.services.containers,
    input.identity.tenantId,
    input.params.enrichmentId,
  );
  if (!config) throw notFound(`Enrichment "${input.params.enrichmentId}"`);
  return config;
}

/**
 * A run as the API shows it (without the partition key). While it runs, `progress.step` is the
 * step under way: the last step opened in `steps`. A progress write can land after the next step
 * was opened (the writes are throttled and queued behind the step change), and a reader must never
 * see "aggregating" while the results are being written.
 */
export function runView(record: RunRecord) {
  const { tenantId: _tenant, ...view } = record;
  const active = view.status === 'queued' || view.status === 'running';
  const open = active ? view.steps.findLast((s) => s.finishedAt === null) : undefined;
  if (view.progress && open && open.step !== view.progress.step) {
    return { ...view, progress: { ...view.progress, step: open.step } };
  }
  return view;
}

function requireConsent(config: EnrichmentConfig): EnrichmentConfig {
  if (config.consent.status !== 'granted') {
    throw unprocessable('The enrichment cannot run before a tenant admin grants consent.', [
      { field: 'consent.status', message: `is "${config.consent.status}", must be "granted"` },
    ]);
  }
  return config;
}

const startRun = appRoute({
  method: 'post',
  path: '/enrichments/:enrichmentId/runs',
  summary: 'Start a run of the enrichment now',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  responses: {
    202: { description: 'The run, queued; follow it with GET …/runs/{runId}', schema: runSchema },
    404: { description: 'No such enrichment' },
    409: { description: 'Another run of the enrichment is active; the message names it' },
    422: { description: 'The enrichment cannot run yet (no admin consent)' },
  },
  async handler(input: HandlerInput<{ enrichmentId: string }, unknown, unknown, AppServices>) {
    const config = requireConsent(await enrichmentOf(input));
    const { identity } = input;
    const run = await input.services.runs.startRun(identity.tenantId, config.enrichmentId, {
      kind: 'manual',
      userId: identity.userId,
      name: identity.name,
      email: identity.email,
    });
    return { status: 202, body: runView(run), headers: { location: `runs/${run.runId}` } };
  },
});

const listRuns = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/runs',
  summary: "The enrichment's runs, newest first (history)",
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  query: runPageQuery,
  responses: {
    200: { description: 'A page of runs; `nextPage` leads to the next one', schema: runPageSchema },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const config = await enrichmentOf(input);
    const token = input.query.page ? decodePageToken(input.query.page, 'page') : undefined;
    const page = await continuePaging(token, 'page', () =>
      input.services.runs.runs.list(input.identity.tenantId, config.enrichmentId, {
        pageSize: input.query.pageSize,
        ...(token ? { continuation: token.continuation } : {}),
      }),
    );
    return {
      body: {
        runs: page.runs.map(runView),
        ...(page.continuation ? { nextPage: encodePageToken({ continuation: page.continuation }) } : {}),
      },
    };
  },
});

const getRun = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/runs/:runId',
  summary: 'One run, with its live progress while it runs',
  tag: TAG,
  access: 'admin',
  params: runParams,
  responses: {
    200: { description: 'The run', schema: runSchema },
    404: { description: 'No such enrichment or run' },
  },
  async handler(input) {
    const run = await input.services.runs.getRun(
      input.identity.tenantId,
      input.params.enrichmentId,
      input.params.runId,
    );
    if (!run) throw notFound(`Run "${input.params.runId}"`);
    return { body: runView(run) };
  },
});

const rereadFailedMailboxes = appRoute({
  method: 'post',
  path: '/enrichments/:enrichmentId/runs/:runId/reread',
  summary: 'Read again only the mailboxes the run could not read, and publish the completed results',
  tag: TAG,
  access: 'admin',
  params: runParams,
  responses: {
    202: {
      description:
        'The re-read, queued as a run of its own with the same as-of instant; follow it with GET …/runs/{runId}',
      schema: runSchema,
    },
    404: { description: 'No such enrichment or run' },
    409: {
      description:
        'Another run is active, or the run cannot be continued (its reading is no longer kept, or the configuration or dataset changed): the message says which, and a full run is the way on',
    },
    422: { description: 'The enrichment cannot run (no admin consent)' },
  },
  async handler(input) {
    const config = requireConsent(await enrichmentOf(input));
    const { identity, params } = input;
    const { runs } = input.services;
    if (!(await runs.getRun(identity.tenantId, config.enrichmentId, params.runId))) {
      throw notFound(`Run "${params.runId}"`);
    }
    const run = await runs.startReread(identity.tenantId, config.enrichmentId, params.runId, {
      userId: identity.userId,
      name: identity.name,
      email: identity.email,
    });
    return { status: 202, body: runView(run), headers: { location: `../${run.runId}` } };
  },
});

const scheduleInfo = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/schedule',
  summary: 'The schedule, the next automatic run, and the active and last runs',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  responses: {
    200: { description: 'Schedule information', schema: scheduleInfoSchema },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const config = await enrichmentOf(input);
    const { runs } = input.services;
    const tenantId = input.identity.tenantId;
    const [next, active, last] = await Promise.all([
      runs.nextRun(config, tenantId),
      runs.activeRun(tenantId, config.enrichmentId),
      runs.runs.latest(tenantId, config.enrichmentId),
    ]);
    return {
      body: {
        ...config.schedule,
        consent: { status: config.consent.status, grantedAt: config.consent.grantedAt },
        nextRun: next
          ? {
              at: new Date(next.at).toISOString(),
              trigger: next.trigger,
              due: next.at <= input.services.now(),
            }
          : null,
        activeRun: active ? runView(active) : null,
        lastRun: last ? runView(last) : null,
      },
    };
  },
});

export function runRoutes(): AnyRoute<AppServices>[] {
  return [startRun, rereadFailedMailboxes, listRuns, getRun, scheduleInfo];
}
