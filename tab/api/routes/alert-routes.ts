import { listAlerts, summarizeAlerts } from '../../../core/segments/alert-queries';
import type { AppServices } from '../../../server/services';
import type { AnyRoute } from '../route';
import { appRoute } from './app-route';
import { continuePaging, decodePageToken, encodePageToken } from './page-token';
import { enrichmentOf } from './run-routes';
import { enrichmentParams } from './run-schemas';
import { alertFilterQuery, alertPageQuery, alertPageSchema, alertSummarySchema } from './segment-schemas';

const alerts = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/alerts',
  summary: 'Stale-account alerts, newest first, with their owner, status and delivery',
  tag: 'Alerts',
  access: 'admin',
  params: enrichmentParams,
  query: alertPageQuery,
  responses: {
    200: { description: 'A page of alerts; `nextPage` leads to the next one', schema: alertPageSchema },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const config = await enrichmentOf(input);
    const { status, delivery, pageSize } = input.query;
    const token = input.query.page ? decodePageToken(input.query.page, 'page') : undefined;
    const page = await continuePaging(token, 'page', () =>
      listAlerts(input.services.containers, input.identity.tenantId, config.enrichmentId, {
        ...(status ? { status } : {}),
        ...(delivery ? { delivery } : {}),
        pageSize,
        ...(token ? { continuation: token.continuation } : {}),
      }),
    );
    return {
      body: {
        alerts: page.alerts,
        ...(page.continuation ? { nextPage: encodePageToken({ continuation: page.continuation }) } : {}),
      },
    };
  },
});

const summary = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/alerts/summary',
  summary: 'Alert counts by status and by delivery, and which run was the baseline',
  tag: 'Alerts',
  access: 'admin',
  params: enrichmentParams,
  query: alertFilterQuery,
  responses: {
    200: {
      description: 'Counts by status (under the delivery filter) and by delivery (under the status filter)',
      schema: alertSummarySchema,
    },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const config = await enrichmentOf(input);
    return {
      body: await summarizeAlerts(
        input.services.containers,
        input.identity.tenantId,
        config.enrichmentId,
        input.query,
      ),
    };
  },
});

export function alertRoutes(): AnyRoute<AppServices>[] {
  return [alerts, summary];
}
