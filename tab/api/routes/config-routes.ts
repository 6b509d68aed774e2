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
import { configChangeSchema, HISTORY_LIMIT, loadHistory } from '../../../core/config/config-history';
import { consentSettingsFor } from '../../../core/config/consent';
import { excludedMailboxTest } from '../../../core/config/privacy';
import { resolveTrackedUsers, TrackedUsersError } from '../../../core/graph/tracked-users';
import type { AppServices } from '../../../server/services';
import { notFound, unprocessable } from '../errors';
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

const historyRoute = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/history',
  summary: `Who saved which version of the enrichment, when, and what changed (the newest ${HISTORY_LIMIT})`,
  tag: TAG,
  access: 'admin',
  params: enrichmentIdParams,
  responses: {
    200: {
      description: 'Newest first; each change takes effect at the next run',
      schema: z.object({ changes: z.array(configChangeSchema) }),
    },
    404: { description: 'No such enrichment' },
  },
  async handler({ services, identity, params }) {
    const config = await loadEnrichment(services.containers, identity.tenantId, params.enrichmentId);
    if (!config) throw notFound(`Enrichment "${params.enrichmentId}"`);
    return {
      body: { changes: await loadHistory(services.containers, identity.tenantId, config.enrichmentId) },
    };
  },
});

const trackedUserSchema = z.object({
  address: z.string(),
  displayName: z.string().nullable(),
  excluded: z.boolean().describe("Whether the admin excluded this user's mailbox"),
});

const trackedUsersRoute = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/tracked-users',
  summary: "The people the enrichment's tracked entries resolve to now, through Microsoft Graph",
  tag: TAG,
  access: 'admin',
  params: enrichmentIdParams,
  responses: {
    200: { description: 'By address', schema: z.object({ users: z.array(trackedUserSchema) }) },
    404: { description: 'No such enrichment' },
    422: { description: 'The tracked entries no longer resolve to 2 to 2,500 users' },
    502: { description: 'Microsoft Graph could not resolve the tracked entries' },
  },
  async handler({ services, identity, params }) {
    const config = await loadEnrichment(services.containers, identity.tenantId, params.enrichmentId);
    if (!config) throw notFound(`Enrichment "${params.enrichmentId}"`);
    try {
      const { users } = await resolveTrackedUsers(services.graph, config.tracked);
      const isExcluded = excludedMailboxTest(config.privacy);
      return {
        body: {
          users: users.map((u) => ({
            address: u.address,
            displayName: u.displayName,
            excluded: isExcluded(u),
          })),
        },
      };
    } catch (error) {
      if (error instanceof TrackedUsersError) {
        throw unprocessable(error.message, [{ field: 'tracked', message: error.message }]);
      }
      throw error;
    }
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
  return [
    listRoute,
    getRoute,
    historyRoute,
    trackedUsersRoute,
    createRoute,
    updateRoute,
    getDraftRoute,
    putDraftRoute,
    deleteDraftRoute,
  ];
}
