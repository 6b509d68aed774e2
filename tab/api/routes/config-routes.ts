import { z } from 'zod';
import { actorOf, actorSchema } from '../../../core/config/actor';
import {
  enrichmentConfigSchema,
  enrichmentDraftSchema,
  listEnrichments,
  loadEnrichment,
  type EnrichmentDraft,
} from '../../../core/config/enrichment-config';
import {
  createEnrichment,
  deleteDraft,
  loadDraft,
  saveDraft,
  updateEnrichment,
  type EnrichmentConfigServices,
} from '../../../core/config/enrichment-service';
import { consentSettingsFor } from '../../../core/config/consent';
import type { AppServices } from '../../../server/services';
import { notFound } from '../errors';
import { ids, type AnyRoute, type HandlerInput } from '../route';
import { appRoute } from './app-route';

const TAG = 'Configuration';

export const enrichmentIdParams = z.object({
  enrichmentId: ids.slug('an enrichment'),
});

const saveOutcomeSchema = z.object({
  enrichment: enrichmentConfigSchema,
  consentRequest: z
    .union([
      z.object({ sent: z.literal(true), to: z.string() }),
      z.object({ sent: z.literal(false), error: z.string() }),
    ])
    .nullable()
    .describe('The consent request this save sent to the tenant admin; null when none was due'),
});

const draftAnswerSchema = z.object({
  draft: enrichmentDraftSchema.nullable(),
  updatedAt: z.iso.datetime().nullable(),
  updatedBy: actorSchema.nullable(),
});

const updateBody = enrichmentDraftSchema.extend({
  version: z
    .number({ error: 'version is required: the version of the enrichment this edit started from' })
    .int()
    .min(1),
});

const problems = {
  400: { description: 'The body is malformed (wrong types or unknown fields); every field is named' },
  422: { description: 'The configuration breaks rules; every problem is named per field at once' },
  502: { description: 'Microsoft Graph could not resolve the tracked entries' },
};

/** What the configuration service works with for this request (consent links point back to its origin). */
export function enrichmentServices(
  input: HandlerInput<unknown, unknown, unknown, AppServices>,
): EnrichmentConfigServices {
  const { services, req } = input;
  return {
    containers: services.containers,
    graph: services.graph,
    now: services.now,
    // The port this server listens on, never the Host header a caller may forge.
    consent: consentSettingsFor(
      services.settings,
      `http://localhost:${req.socket.localPort ?? services.settings.PORT}`,
    ),
  };
}

const listRoute = appRoute({
  method: 'get',
  path: '/enrichments',
  summary: "The tenant's enrichments",
  tag: TAG,
  access: 'admin',
  responses: {
    200: { description: 'By name', schema: z.object({ enrichments: z.array(enrichmentConfigSchema) }) },
  },
  async handler({ services, identity }) {
    return { body: { enrichments: await listEnrichments(services.containers, identity.tenantId) } };
  },
});

const getRoute = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId',
  summary: 'One enrichment: its configuration, version, tracked users resolved and consent state',
  tag: TAG,
  access: 'admin',
  params: enrichmentIdParams,
  responses: {
    200: { description: 'The enrichment', schema: enrichmentConfigSchema },
    404: { description: 'No such enrichment' },
  },
  async handler({ services, identity, params }) {
    const config = await loadEnrichment(services.containers, identity.tenantId, params.enrichmentId);
    if (!config) throw notFound(`Enrichment "${params.enrichmentId}"`);
    return { body: config };
  },
});

const createRoute = appRoute({
  method: 'post',
  path: '/enrichments',
  summary:
    'Create an enrichment (its id is a slug of its name); checks everything, clears the draft and mails the consent request',
  tag: TAG,
  access: 'admin',
  body: enrichmentDraftSchema,
  responses: {
    201: { description: 'Created at version 1', schema: saveOutcomeSchema },
    ...problems,
    409: { description: 'An enrichment with that id exists already' },
  },
  async handler(input) {
    const outcome = await createEnrichment(
      enrichmentServices(input),
      input.identity.tenantId,
      actorOf(input.identity),
      input.body,
    );
    return { status: 201, body: outcome };
  },
});

const updateRoute = appRoute({
  method: 'put',
  path: '/enrichments/:enrichmentId',
  summary: 'Save a new version of an enrichment, edited from `version`; checks everything',
  tag: TAG,
  access: 'admin',
  params: enrichmentIdParams,
  body: updateBody,
  responses: {
    200: { description: 'Saved; `version` went up by one', schema: saveOutcomeSchema },
    ...problems,
    404: { description: 'No such enrichment' },
    409: { description: 'Someone saved the enrichment since `version`; the message says who and when' },
  },
  async handler(input) {
    const { version, ...draft } = input.body;
    const outcome = await updateEnrichment(
      enrichmentServices(input),
      input.identity.tenantId,
      actorOf(input.identity),
      input.params.enrichmentId,
      version,
      draft,
    );
    return { body: outcome };
  },
});

const getDraftRoute = appRoute({
  method: 'get',
  path: '/enrichment/draft',
  summary: "The wizard's unfinished input, as last kept",
  tag: TAG,
  access: 'admin',
  responses: { 200: { description: 'The draft; all null when there is none', schema: draftAnswerSchema } },
  async handler({ services, identity }) {
    const saved = await loadDraft(services, identity.tenantId);
    return { body: saved ?? { draft: null, updatedAt: null, updatedBy: null } };
  },
});

const putDraftRoute = appRoute({
  method: 'put',
  path: '/enrichment/draft',
  summary: "Keep the wizard's unfinished input (checked for shape only); creating the enrichment clears it",
  tag: TAG,
  access: 'admin',
  body: enrichmentDraftSchema,
  responses: {
    200: { description: 'Kept', schema: draftAnswerSchema },
    400: { description: 'The draft has wrong types or unknown fields; every field is named' },
  },
  async handler({ services, identity, body }: HandlerInput<unknown, unknown, EnrichmentDraft, AppServices>) {
    return { body: await saveDraft(services, identity.tenantId, actorOf(identity), body) };
  },
});

const deleteDraftRoute = appRoute({
  method: 'delete',
  path: '/enrichment/draft',
  summary: "Discard the wizard's unfinished input",
  tag: TAG,
  access: 'admin',
  responses: { 204: { description: 'Discarded (or there was none)' } },
  async handler({ services, identity }) {
    await deleteDraft(services, identity.tenantId);
    return { status: 204 };
  },
});

export function configRoutes(): AnyRoute<AppServices>[] {
  return [listRoute, getRoute, createRoute, updateRoute, getDraftRoute, putDraftRoute, deleteDraftRoute];
}
