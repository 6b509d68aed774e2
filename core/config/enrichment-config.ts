import { z } from 'zod';
import { engagementSettingsSchema } from '../engine/settings';
import { SIGNAL_THRESHOLD_NAMES } from '../engine/signals';
import { MAX_TRACKED_USERS, MIN_TRACKED_USERS } from '../graph/tracked-users';
import { ConfigurationRepository } from '../store/configuration-repository';
import type { Containers } from '../store/containers';
import { actorSchema } from './actor';
import { MAX_PRIVACY_ENTRIES, privacySettingsSchema } from './privacy';
import { slugOf } from './slug';

/**
 * The enrichment configuration: what the admin's wizard collects, as one zod model, and the stored
 * configuration built from it. `enrichmentDraftSchema` checks only the shape (types, known fields)
 * and accepts unfinished input; `enrichmentInputSchema` is the model itself, with every rule.
 */

export const REGIONS = ['uk', 'europe', 'northAmerica'] as const;
export type Region = (typeof REGIONS)[number];
export const CADENCES = ['weekly', 'daily', 'monthly', 'off'] as const;
export type Cadence = (typeof CADENCES)[number];
export const CONSENT_STATUSES = ['not-requested', 'requested', 'granted', 'refused', 'revoked'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const DEFAULT_ENTITY_NAME = 'Office';
export const DEFAULT_STALE_THRESHOLD_DAYS = 60;
export const MIN_STALE_THRESHOLD_DAYS = 7;
export const MAX_STALE_THRESHOLD_DAYS = 365;
export const MAX_NAME_LENGTH = 80;
export const MAX_ENTITY_NAME_LENGTH = 64;
/** Tracked entries the admin may list (groups make the resolved users many more). */
export const MAX_TRACKED_ENTRIES = 5_000;

// ---- the shape: types and known fields only; what a draft must satisfy ----

const optionalText = z.string().nullable();
const numbers = <K extends string>(keys: readonly K[]) =>
  z
    .object(Object.fromEntries(keys.map((k) => [k, z.number()])) as Record<K, z.ZodNumber>)
    .partial()
    .strict();

export const enrichmentDraftSchema = z
  .object({
    name: z.string().max(1_000),
    entityName: z.string().max(1_000),
    tracked: z.array(z.string().max(1_000)).max(MAX_TRACKED_ENTRIES),
    consentStatement: z.object({ accepted: z.boolean() }).partial().strict(),
    datasetId: z.string().max(1_000),
    mapping: z
      .object({ emailField: z.string(), domainField: optionalText, ownerField: optionalText })
      .partial()
      .strict(),
    engagement: z
      .object({
        weights: numbers(['emailTo', 'emailFrom', 'meeting']),
        halfLifeDays: z.number(),
        signals: numbers(SIGNAL_THRESHOLD_NAMES).extend({
          alerts: z.array(z.string().max(100)).max(10),
        }),
      })
      .partial()
      .strict(),
    staleThresholdDays: z.number(),
    schedule: z
      .object({ cadence: z.string(), dayOfWeek: z.number(), dayOfMonth: z.number(), hourUtc: z.number() })
      .partial()
      .strict(),
    region: z.string(),
    privacy: z
      .object({
        countPrivateMeetings: z.boolean(),
        excludedAddresses: z.array(z.string().max(1_000)).max(MAX_PRIVACY_ENTRIES),
        excludedDomains: z.array(z.string().max(1_000)).max(MAX_PRIVACY_ENTRIES),
        excludedMailboxes: z.array(z.string().max(1_000)).max(MAX_PRIVACY_ENTRIES),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type EnrichmentDraft = z.infer<typeof enrichmentDraftSchema>;

// ---- the model: every rule ----

const wholeNumber = (field: string, min: number, max: number, unit = '') =>
  z
    .number()
    .int(`${field} must be a whole number${unit}`)
    .min(min, `${field} must be between ${min} and ${max}${unit}`)
    .max(max, `${field} must be between ${min} and ${max}${unit}`);

/** A missing object is checked as an empty one, so each of its missing fields is named. */
const missingAsEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => value ?? {}, schema);

/** An optional mapped field: empty or null means "not mapped". */
const optionalField = (what: string) =>
  z.preprocess(
    (value) => (value === null || value === '' ? undefined : value),
    z.string().trim().min(1, `Choose the ${what} field, or leave it empty`).optional(),
  );

export const scheduleSchema = z
  .object({
    cadence: z.enum(CADENCES, { error: `cadence must be one of ${CADENCES.join(', ')}` }).default('weekly'),
    /** Weekly: 0 = Sunday … 6 = Saturday. */
    dayOfWeek: wholeNumber('dayOfWeek', 0, 6, ' (0 = Sunday … 6 = Saturday)').default(1),
    /** Monthly: the day of the month. */
    dayOfMonth: wholeNumber('dayOfMonth', 1, 28).default(1),
    hourUtc: wholeNumber('hourUtc', 0, 23).default(2),
  })
  .prefault({});

export type Schedule = z.output<typeof scheduleSchema>;

export const enrichmentInputSchema = z.object({
  name: z
    .string({ error: 'Enter a name for the enrichment' })
    .trim()
    .min(1, 'Enter a name for the enrichment')
    .max(MAX_NAME_LENGTH, `The name may have at most ${MAX_NAME_LENGTH} characters`)
    .refine((name) => slugOf(name) !== '', 'The name must contain a letter or a digit'),
  entityName: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z][A-Za-z0-9_]*$/,
      'The output entity name may contain only letters, digits and _, and starts with a letter',
    )
    .max(
      MAX_ENTITY_NAME_LENGTH,
      `The output entity name may have at most ${MAX_ENTITY_NAME_LENGTH} characters`,
    )
    .default(DEFAULT_ENTITY_NAME),
  /** Addresses of users or groups, or group object ids, as the admin wrote them. */
  tracked: z
    .array(z.string().trim().min(1, 'This entry is empty'), {
      error: `List the addresses or groups to track (${MIN_TRACKED_USERS} to ${MAX_TRACKED_USERS.toLocaleString('en-US')} users)`,
    })
    .min(
      1,
      `List the addresses or groups to track (${MIN_TRACKED_USERS} to ${MAX_TRACKED_USERS.toLocaleString('en-US')} users)`,
    ),
  consentStatement: missingAsEmpty(
    z.object({
      accepted: z.literal(true, { error: 'Accept the consent statement to save the enrichment' }),
    }),
  ),
  datasetId: z.string({ error: 'Choose a customer dataset' }).trim().min(1, 'Choose a customer dataset'),
  mapping: missingAsEmpty(
    z.object({
      emailField: z
        .string({ error: 'Choose the contact field that holds the email address' })
        .trim()
        .min(1, 'Choose the contact field that holds the email address'),
      domainField: optionalField('account domain'),
      ownerField: optionalField('account owner'),
    }),
  ),
  engagement: engagementSettingsSchema,
  staleThresholdDays: wholeNumber(
    'staleThresholdDays',
    MIN_STALE_THRESHOLD_DAYS,
    MAX_STALE_THRESHOLD_DAYS,
    ' days',
  ).default(DEFAULT_STALE_THRESHOLD_DAYS),
  schedule: scheduleSchema,
  region: z.enum(REGIONS, {
    error: (issue) =>
      issue.input === undefined
        ? `Choose the data region: ${REGIONS.join(', ')}`
        : `${JSON.stringify(issue.input)} is not a data region; allowed: ${REGIONS.join(', ')}`,
  }),
  privacy: privacySettingsSchema,
});

export type EnrichmentInput = z.output<typeof enrichmentInputSchema>;

// ---- the stored configuration ----

const instant = z.iso.datetime();

/** Tenant-admin consent to the app reading the tenant's mail and calendar metadata. */
export const consentStateSchema = z.object({
  status: z.enum(CONSENT_STATUSES),
  /** The tenant admin the latest request was sent to, when and by which admin of the app. */
  requestedTo: z.string().nullable(),
  requestedAt: instant.nullable(),
  requestedBy: actorSchema.nullable(),
  /** Set while consent is granted; the tenant id comes from the identity platform's answer. */
  grantedAt: instant.nullable(),
  grantedTenantId: z.string().nullable(),
  refusedAt: instant.nullable(),
  refusalReason: z.string().nullable(),
  revokedAt: instant.nullable(),
  revokedBy: actorSchema.nullable(),
});

export type ConsentState = z.output<typeof consentStateSchema>;

export const NO_CONSENT: ConsentState = Object.freeze({
  status: 'not-requested',
  requestedTo: null,
  requestedAt: null,
  requestedBy: null,
  grantedAt: null,
  grantedTenantId: null,
  refusedAt: null,
  refusalReason: null,
  revokedAt: null,
  revokedBy: null,
});

export const trackedSummarySchema = z.object({
  /** Distinct users the tracked entries resolved to when the configuration was saved. */
  resolvedUsers: z.number().int(),
  groups: z.number().int(),
  /** Entries that matched no user and no group. */
  unknown: z.array(z.string()),
  resolvedAt: instant,
});

export const enrichmentConfigSchema = enrichmentInputSchema.extend({
  tenantId: z.string(),
  /** A slug of the name given when the enrichment was created; it never changes. */
  enrichmentId: z.string(),
  /** 1 when created, incremented by every save of the configuration. */
  version: z.number().int().min(1),
  /** `<entityName>_UserEntity`: the tracked users' output entity. */
  userEntityName: z.string(),
  trackedSummary: trackedSummarySchema,
  consentStatement: z.object({ accepted: z.literal(true), acceptedAt: instant, acceptedBy: actorSchema }),
  consent: consentStateSchema,
  createdAt: instant,
  createdBy: actorSchema,
  updatedAt: instant,
  updatedBy: actorSchema,
});

export type EnrichmentConfig = z.output<typeof enrichmentConfigSchema>;

export const ENRICHMENT_TYPE = 'enrichment';
export type EnrichmentDocument = EnrichmentConfig & { id: string; type: typeof ENRICHMENT_TYPE };

/** The id an enrichment named `name` gets. */
export const enrichmentIdFor = slugOf;
export const enrichmentDocumentId = (enrichmentId: string) => `enrichment:${enrichmentId}`;
export const userEntityNameOf = (entityName: string) => `${entityName}_UserEntity`;

export function configOf(document: EnrichmentDocument): EnrichmentConfig {
  return enrichmentConfigSchema.parse(document);
}

/** No enrichment of that id in the tenant. */
export class EnrichmentNotFoundError extends Error {
  override readonly name = 'EnrichmentNotFoundError';
  constructor(readonly enrichmentId: string) {
    super(`There is no enrichment "${enrichmentId}".`);
  }
}

export async function loadEnrichment(
  containers: Containers,
  tenantId: string,
  enrichmentId: string,
): Promise<EnrichmentConfig | undefined> {
  const stored = await new ConfigurationRepository(
    containers.configurations,
    tenantId,
  ).read<EnrichmentDocument>(enrichmentDocumentId(enrichmentId));
  return stored ? configOf(stored.document) : undefined;
}

/** The tenant's enrichments, by name. */
export async function listEnrichments(containers: Containers, tenantId: string): Promise<EnrichmentConfig[]> {
  const documents = await new ConfigurationRepository(
    containers.configurations,
    tenantId,
  ).list<EnrichmentDocument>(ENRICHMENT_TYPE);
  return documents.map(configOf).sort((a, b) => a.name.localeCompare(b.name));
}

/** Every tenant's enrichments (for the scheduler). */
export async function listAllEnrichments(containers: Containers): Promise<EnrichmentConfig[]> {
  const documents = await ConfigurationRepository.listAcrossTenants<EnrichmentDocument>(
    containers.configurations,
    ENRICHMENT_TYPE,
  );
  return documents.map(configOf);
}
