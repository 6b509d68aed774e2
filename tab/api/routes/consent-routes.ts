import { z } from 'zod';
import { actorOf } from '../../../core/config/actor';
import { LOCAL_MAILBOX_PATH, requestConsent, revokeConsent } from '../../../core/config/consent';
import {
  consentStateSchema,
  loadEnrichment,
  type ConsentState,
} from '../../../core/config/enrichment-config';
import type { AppServices } from '../../../server/services';
import { notFound } from '../errors';
import type { AnyRoute } from '../route';
import { appRoute } from './app-route';
import { enrichmentIdParams, enrichmentServices } from './config-routes';

const TAG = 'Consent';

/** The consent state, and in local mode where the request is delivered. */
const consentAnswerSchema = consentStateSchema.extend({
  localMailboxUrl: z
    .string()
    .optional()
    .describe(
      'Local mode only: the page (on this server) showing the mail sent through the Graph simulator, where consent requests are delivered',
    ),
});

function answer(services: AppServices, consent: ConsentState) {
  return services.settings.APP_MODE === 'local'
    ? { ...consent, localMailboxUrl: LOCAL_MAILBOX_PATH }
    : consent;
}

const stateRoute = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/consent',
  summary: "The enrichment's tenant-admin consent: not-requested, requested, granted, refused or revoked",
  tag: TAG,
  access: 'admin',
  params: enrichmentIdParams,
  responses: {
    200: { description: 'The consent state', schema: consentAnswerSchema },
    404: { description: 'No such enrichment' },
  },
  async handler({ services, identity, params }) {
    const config = await loadEnrichment(services.containers, identity.tenantId, params.enrichmentId);
    if (!config) throw notFound(`Enrichment "${params.enrichmentId}"`);
    return { body: answer(services, config.consent) };
  },
});

const requestRoute = appRoute({
  method: 'post',
  path: '/enrichments/:enrichmentId/consent/request',
  summary: 'Mail the tenant admin a new consent request; earlier links stop working',
  tag: TAG,
  access: 'admin',
  params: enrichmentIdParams,
  responses: {
    200: { description: 'Sent; the state is `requested`', schema: consentAnswerSchema },
    404: { description: 'No such enrichment' },
    409: { description: 'Consent is granted already' },
    502: { description: 'The mail could not be sent through Microsoft Graph' },
    503: { description: 'No sender or recipient is configured (CONSENT_SENDER, TENANT_ADMIN_EMAIL)' },
  },
  async handler(input) {
    const consent = await requestConsent(
      enrichmentServices(input),
      input.identity.tenantId,
      input.params.enrichmentId,
      actorOf(input.identity),
    );
    return { body: answer(input.services, consent) };
  },
});

const revokeRoute = appRoute({
  method: 'post',
  path: '/enrichments/:enrichmentId/consent/revoke',
  summary: 'Record that consent was revoked: automatic runs stop and outstanding links stop working',
  tag: TAG,
  access: 'admin',
  params: enrichmentIdParams,
  responses: {
    200: { description: 'Revoked', schema: consentStateSchema },
    404: { description: 'No such enrichment' },
    409: { description: 'Consent is not granted' },
  },
  async handler(input) {
    const consent = await revokeConsent(
      input.services,
      input.identity.tenantId,
      input.params.enrichmentId,
      actorOf(input.identity),
    );
    return { body: consent };
  },
});

export function consentRoutes(): AnyRoute<AppServices>[] {
  return [stateRoute, requestRoute, revokeRoute];
}
