import type { z } from 'zod';
import { datasetSummary } from '../datasets/dataset-library';
import { mappingProblems, type FieldMapping } from '../datasets/customer-dataset';
import { resolveTrackedUsers, TrackedUsersError, type TrackedUsersResolution } from '../graph/tracked-users';
import { ConfigurationRepository, type ConfigurationDocument } from '../store/configuration-repository';
import type { Actor } from './actor';
import { recordChange } from './config-history';
import { ConsentMailError, requestConsent, type ConsentServices } from './consent';
import { excludedMailboxProblems } from './privacy';
import {
  configOf,
  ENRICHMENT_TYPE,
  enrichmentDocumentId,
  enrichmentIdFor,
  enrichmentInputSchema,
  EnrichmentNotFoundError,
  listEnrichments,
  NO_CONSENT,
  userEntityNameOf,
  type EnrichmentConfig,
  type EnrichmentDocument,
  type EnrichmentDraft,
  type EnrichmentInput,
} from './enrichment-config';

export type EnrichmentConfigServices = ConsentServices;

/** Saves retried over concurrent consent answers before giving up. */
const SAVE_ATTEMPTS = 10;

/** A field of the configuration and what is wrong with it (`mapping.emailField`, `tracked`, …). */
export interface ConfigProblem {
  field: string;
  message: string;
}

/** The configuration cannot be saved: every problem found, per field. */
export class EnrichmentProblemsError extends Error {
  override readonly name = 'EnrichmentProblemsError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`The enrichment cannot be saved: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  }
}

/** Someone else saved the enrichment since the caller read it (or created one of that name). */
export class EnrichmentConflictError extends Error {
  override readonly name = 'EnrichmentConflictError';
}

export interface SaveOutcome {
  enrichment: EnrichmentConfig;
  /** The consent request this save sent, when consent had not been requested yet. */
  consentRequest: { sent: true; to: string } | { sent: false; error: string } | null;
}

function issueProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
}

async function trackedProblems(
  services: EnrichmentConfigServices,
  tracked: readonly string[],
): Promise<{ resolution?: TrackedUsersResolution; problems: ConfigProblem[] }> {
  try {
    return { resolution: await resolveTrackedUsers(services.graph, tracked), problems: [] };
  } catch (error) {
    if (!(error instanceof TrackedUsersError)) throw error;
    return { problems: [{ field: 'tracked', message: error.message }] };
  }
}

async function datasetProblems(
  services: EnrichmentConfigServices,
  tenantId: string,
  datasetId: string,
  mapping: FieldMapping,
): Promise<ConfigProblem[]> {
  const summary = await datasetSummary({ ...services, tenantId }, datasetId);
  if (!summary) return [{ field: 'datasetId', message: `There is no customer dataset "${datasetId}"` }];
  const columns = {
    accounts: summary.columns.accounts.map((c) => c.name),
    contacts: summary.columns.contacts.map((c) => c.name),
  };
  return mappingProblems(columns, mapping).map((p) => ({ field: `mapping.${p.field}`, message: p.message }));
}

/** Two enrichments of a tenant writing one output entity would publish over each other's rows. */
async function entityNameProblems(
  services: EnrichmentConfigServices,
  tenantId: string,
  enrichmentId: string,
  entityName: string,
): Promise<ConfigProblem[]> {
  const taken = (await listEnrichments(services.containers, tenantId)).find(
    (other) =>
      other.enrichmentId !== enrichmentId && other.entityName.toLowerCase() === entityName.toLowerCase(),
  );
  return taken
    ? [
        {
          field: 'entityName',
          message: `The enrichment "${taken.name}" already writes the output entity "${taken.entityName}"; choose another name`,
        },
      ]
    : [];
}

/**
 * Checks a configuration whole: the model's rules, the tracked entries resolved through Graph
 * (2 to 2,500 users), the mapping against the dataset's columns and the output entity's name
 * against the tenant's other enrichments. Throws EnrichmentProblemsError naming every problem at once.
 */
export async function checkEnrichment(
  services: EnrichmentConfigServices,
  tenantId: string,
  draft: EnrichmentDraft,
  enrichmentId = enrichmentIdFor(draft.name ?? ''),
): Promise<{ input: EnrichmentInput; resolution: TrackedUsersResolution }> {
  const parsed = enrichmentInputSchema.safeParse(draft);
  const problems = parsed.success ? [] : issueProblems(parsed.error);
  const failed = (field: string) =>
    problems.some((p) => p.field === field || p.field.startsWith(`${field}.`));

  const tracked = failed('tracked') || !draft.tracked ? undefined : trackedProblems(services, draft.tracked);
  const dataset = failed('datasetId')
    ? undefined
    : datasetProblems(services, tenantId, (draft.datasetId ?? '').trim(), {
        emailField: (draft.mapping?.emailField ?? '').trim(),
        ...(draft.mapping?.domainField ? { domainField: draft.mapping.domainField.trim() } : {}),
        ...(draft.mapping?.ownerField ? { ownerField: draft.mapping.ownerField.trim() } : {}),
      }).then((found) => found.filter((p) => !failed(p.field)));
  const entity =
    failed('entityName') || !parsed.success
      ? undefined
      : entityNameProblems(services, tenantId, enrichmentId, parsed.data.entityName);
  const [trackedResult, datasetResult, entityResult] = await Promise.all([tracked, dataset, entity]);
  problems.push(...(trackedResult?.problems ?? []), ...(datasetResult ?? []), ...(entityResult ?? []));
  if (trackedResult?.resolution && !failed('privacy.excludedMailboxes')) {
    problems.push(
      ...excludedMailboxProblems(trackedResult.resolution, draft.privacy?.excludedMailboxes ?? []),
    );
  }
  if (!parsed.success || problems.length > 0 || !trackedResult?.resolution) {
    throw new EnrichmentProblemsError(problems);
  }
  return { input: parsed.data, resolution: trackedResult.resolution };
}

function configDocument(
  base: Pick<
    EnrichmentConfig,
    'tenantId' | 'enrichmentId' | 'version' | 'consent' | 'createdAt' | 'createdBy'
  >,
  input: EnrichmentInput,
  resolution: TrackedUsersResolution,
  actor: Actor,
  now: string,
): EnrichmentDocument {
  return {
    id: enrichmentDocumentId(base.enrichmentId),
    type: ENRICHMENT_TYPE,
    ...input,
    tenantId: base.tenantId,
    enrichmentId: base.enrichmentId,
    version: base.version,
    consent: base.consent,
    createdAt: base.createdAt,
    createdBy: base.createdBy,
    userEntityName: userEntityNameOf(input.entityName),
    trackedSummary: {
      resolvedUsers: resolution.users.length,
      groups: resolution.groups.length,
      unknown: resolution.unknown,
      resolvedAt: now,
    },
    consentStatement: { accepted: true, acceptedAt: now, acceptedBy: actor },
    updatedAt: now,
    updatedBy: actor,
  };
}

/** Sends the first consent request of an enrichment that has none yet; a failure is reported, not thrown. */
async function requestConsentIfNeeded(
  services: EnrichmentConfigServices,
  config: EnrichmentConfig,
  actor: Actor,
): Promise<SaveOutcome> {
  if (config.consent.status !== 'not-requested') return { enrichment: config, consentRequest: null };
  try {
    const consent = await requestConsent(services, config.tenantId, config.enrichmentId, actor);
    return {
      enrichment: { ...config, consent },
      consentRequest: { sent: true, to: consent.requestedTo ?? '' },
    };
  } catch (error) {
    if (error instanceof ConsentMailError) {
      return { enrichment: config, consentRequest: { sent: false, error: error.message } };
    }
    throw error;
  }
}

/** Creates an enrichment (id: a slug of its name) at version 1, clears the draft and requests consent. */
export async function createEnrichment(
  services: EnrichmentConfigServices,
  tenantId: string,
  actor: Actor,
  draft: EnrichmentDraft,
): Promise<SaveOutcome> {
  const { input, resolution } = await checkEnrichment(services, tenantId, draft);
  const now = new Date(services.now()).toISOString();
  const enrichmentId = enrichmentIdFor(input.name);
  const document = configDocument(
    { tenantId, enrichmentId, version: 1, consent: NO_CONSENT, createdAt: now, createdBy: actor },
    input,
    resolution,
    actor,
    now,
  );
  const repository = new ConfigurationRepository(services.containers.configurations, tenantId);
  if (!(await repository.create(document))) {
    throw new EnrichmentConflictError(
      `An enrichment with the id "${enrichmentId}" exists already; change it instead, or choose another name.`,
    );
  }
  await repository.delete(DRAFT_ID);
  await recordChange(services.containers, tenantId, document, input);
  return requestConsentIfNeeded(services, configOf(document), actor);
}

/**
 * Saves a new version of an enrichment the caller read at `expectedVersion`. When someone else
 * saved it meanwhile, EnrichmentConflictError says who and when; consent changes recorded
 * meanwhile are kept.
 */
export async function updateEnrichment(
  services: EnrichmentConfigServices,
  tenantId: string,
  actor: Actor,
  enrichmentId: string,
  expectedVersion: number,
  draft: EnrichmentDraft,
): Promise<SaveOutcome> {
  const repository = new ConfigurationRepository(services.containers.configurations, tenantId);
  const id = enrichmentDocumentId(enrichmentId);
  const changedMeanwhile = (current: EnrichmentConfig) =>
    new EnrichmentConflictError(
      `The enrichment was changed by ${current.updatedBy.name} (${current.updatedBy.email}) at ${current.updatedAt} (version ${current.version}, you edited version ${expectedVersion}); reload it and save again.`,
    );
  let stored = await repository.read<EnrichmentDocument>(id);
  if (!stored) throw new EnrichmentNotFoundError(enrichmentId);
  if (stored.document.version !== expectedVersion) throw changedMeanwhile(configOf(stored.document));

  const { input, resolution } = await checkEnrichment(services, tenantId, draft, enrichmentId);
  const now = new Date(services.now()).toISOString();
  for (let attempt = 1; ; attempt++) {
    const current = configOf(stored.document);
    const document = configDocument(
      { ...current, version: current.version + 1 },
      input,
      resolution,
      actor,
      now,
    );
    if (await repository.replace(document, stored.etag)) {
      await recordChange(services.containers, tenantId, document, input, current);
      return requestConsentIfNeeded(services, configOf(document), actor);
    }
    const again = await repository.read<EnrichmentDocument>(id);
    if (!again) throw new EnrichmentNotFoundError(enrichmentId);
    // Only a consent answer changed it: save over that, keeping the consent state.
    if (again.document.version !== expectedVersion) throw changedMeanwhile(configOf(again.document));
    if (attempt >= SAVE_ATTEMPTS)
      throw new Error(`The enrichment "${enrichmentId}" kept changing; try again`);
    stored = again;
  }
}

// ---- the wizard's draft: unfinished input, one per tenant ----

const DRAFT_ID = 'enrichment-draft';

interface DraftDocument extends ConfigurationDocument {
  type: 'enrichment-draft';
  draft: EnrichmentDraft;
  updatedAt: string;
  updatedBy: Actor;
}

export interface SavedDraft {
  draft: EnrichmentDraft;
  updatedAt: string;
  updatedBy: Actor;
}

export async function saveDraft(
  services: Pick<EnrichmentConfigServices, 'containers' | 'now'>,
  tenantId: string,
  actor: Actor,
  draft: EnrichmentDraft,
): Promise<SavedDraft> {
  const saved: SavedDraft = { draft, updatedAt: new Date(services.now()).toISOString(), updatedBy: actor };
  await new ConfigurationRepository(services.containers.configurations, tenantId).upsert<DraftDocument>({
    id: DRAFT_ID,
    tenantId,
    type: 'enrichment-draft',
    ...saved,
  });
  return saved;
}

export async function loadDraft(
  services: Pick<EnrichmentConfigServices, 'containers'>,
  tenantId: string,
): Promise<SavedDraft | undefined> {
  const stored = await new ConfigurationRepository(
    services.containers.configurations,
    tenantId,
  ).read<DraftDocument>(DRAFT_ID);
  if (!stored) return undefined;
  const { draft, updatedAt, updatedBy } = stored.document;
  return { draft, updatedAt, updatedBy };
}

export async function deleteDraft(
  services: Pick<EnrichmentConfigServices, 'containers'>,
  tenantId: string,
): Promise<boolean> {
  return new ConfigurationRepository(services.containers.configurations, tenantId).delete(DRAFT_ID);
}
