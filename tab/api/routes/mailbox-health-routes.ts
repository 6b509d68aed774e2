import type { EnrichmentConfig } from '../../../core/config/enrichment-config';
import type { MailboxHealthSummary } from '../../../core/runs/mailbox-health';
import type { RereadOffer, RunService } from '../../../core/runs/run-service';
import type { AppServices } from '../../../server/services';
import type { AnyRoute } from '../route';
import { appRoute } from './app-route';
import { mailboxPageQuery, mailboxPageSchema, mailboxSummarySchema } from './mailbox-health-schemas';
import { continuePaging, decodePageToken, encodePageToken } from './page-token';
import { enrichmentOf } from './run-routes';
import { enrichmentParams } from './run-schemas';

const TAG = 'Mailbox health';

const listMailboxes = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/mailboxes',
  summary: 'Every tracked mailbox as the last successful run read it, by address',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  query: mailboxPageQuery,
  responses: {
    200: { description: 'A page of mailboxes; `nextPage` leads to the next one', schema: mailboxPageSchema },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const config = await enrichmentOf(input);
    const token = input.query.page ? decodePageToken(input.query.page, 'page') : undefined;
    const page = await continuePaging(token, 'page', () =>
      input.services.runs.mailboxHealth.list(input.identity.tenantId, config.enrichmentId, {
        pageSize: input.query.pageSize,
        ...(input.query.status ? { status: input.query.status } : {}),
        ...(token ? { continuation: token.continuation } : {}),
      }),
    );
    return {
      body: {
        mailboxes: page.mailboxes,
        ...(page.continuation ? { nextPage: encodePageToken({ continuation: page.continuation }) } : {}),
      },
    };
  },
});

/** Whether the mailboxes the last run could not read can be read again now. */
async function rereadOf(
  runs: RunService,
  config: EnrichmentConfig,
  summary: MailboxHealthSummary,
): Promise<RereadOffer> {
  if (summary.counts.ok === summary.total) {
    return { available: false, reason: 'Every mailbox was read completely.' };
  }
  return runs.rereadOffer(config);
}

const mailboxSummary = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/mailboxes/summary',
  summary: 'How many tracked mailboxes the last successful run read completely, and why the others not',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  responses: {
    200: { description: 'Mailboxes by status', schema: mailboxSummarySchema },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const config = await enrichmentOf(input);
    const { runs } = input.services;
    const summary = await runs.mailboxHealth.summary(input.identity.tenantId, config.enrichmentId);
    if (!summary) {
      return {
        body: {
          lastRun: null,
          total: 0,
          counts: { ok: 0, permission: 0, throttled: 0, failed: 0 },
          reread: { available: false, reason: 'No run has read the mailboxes yet.' },
        },
      };
    }
    const reread = await rereadOf(runs, config, summary);
    return { body: { ...summary, reread } };
  },
});

export function mailboxHealthRoutes(): AnyRoute<AppServices>[] {
  return [mailboxSummary, listMailboxes];
}
