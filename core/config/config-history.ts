import { z } from 'zod';
import { ConfigurationRepository, type ConfigurationDocument } from '../store/configuration-repository';
import type { Containers } from '../store/containers';
import { actorSchema, type Actor } from './actor';
import { enrichmentInputSchema, type EnrichmentInput } from './enrichment-config';

/**
 * The configuration's history: one entry per saved version of an enrichment, saying who saved it,
 * when, and which settings changed from what to what. Entries are written with the version they
 * describe and never changed; a change takes effect at the next run.
 */

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const fieldChangeSchema = z.object({
  /** The setting, as the API names it: `privacy.excludedDomains`, `engagement.weights.meeting`, … */
  field: z.string(),
  /** A value: what it was and what it became (null: not set). */
  before: scalar.optional(),
  after: scalar.optional(),
  /** A list: the entries added and removed. */
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
});

export type FieldChange = z.output<typeof fieldChangeSchema>;

export const configChangeSchema = z.object({
  enrichmentId: z.string(),
  /** The version this save made. */
  version: z.number().int().min(1),
  kind: z.enum(['created', 'changed']),
  changedAt: z.iso.datetime(),
  changedBy: actorSchema,
  /** Empty when created, or when a save changed nothing. */
  changes: z.array(fieldChangeSchema),
});

export type ConfigChange = z.output<typeof configChangeSchema>;

const CHANGE_TYPE = 'enrichment-change';
/** The newest entries a history answer holds. */
export const HISTORY_LIMIT = 100;

type ChangeDocument = ConfigChange & ConfigurationDocument & { type: typeof CHANGE_TYPE };

const changeDocumentId = (enrichmentId: string, version: number) =>
  `${CHANGE_TYPE}:${enrichmentId}:${String(version).padStart(8, '0')}`;

/** The settings an admin saves (the consent statement is accepted on every save). */
const SETTINGS = Object.keys(enrichmentInputSchema.shape).filter((key) => key !== 'consentStatement');

const settingsOf = (input: EnrichmentInput): Record<string, unknown> =>
  Object.fromEntries(SETTINGS.map((key) => [key, input[key as keyof EnrichmentInput]]));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueOf(value: unknown): z.output<typeof scalar> {
  return value === undefined ? null : (value as z.output<typeof scalar>);
}

function collect(field: string, before: unknown, after: unknown, out: FieldChange[]): void {
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
      collect(field ? `${field}.${key}` : key, b[key], a[key], out);
    }
    return;
  }
  if (Array.isArray(before) || Array.isArray(after)) {
    const b = (Array.isArray(before) ? before : []).map(String);
    const a = (Array.isArray(after) ? after : []).map(String);
    const added = a.filter((entry) => !b.includes(entry));
    const removed = b.filter((entry) => !a.includes(entry));
    if (added.length > 0 || removed.length > 0) out.push({ field, added, removed });
    return;
  }
  if (valueOf(before) !== valueOf(after)) out.push({ field, before: valueOf(before), after: valueOf(after) });
}

/** The settings that differ between two saved configurations, by field path. */
export function changesBetween(before: EnrichmentInput, after: EnrichmentInput): FieldChange[] {
  const out: FieldChange[] = [];
  collect('', settingsOf(before), settingsOf(after), out);
  return out;
}

/** Records a saved version; `before` is the configuration it replaced (none when created). */
export async function recordChange(
  containers: Containers,
  tenantId: string,
  saved: { enrichmentId: string; version: number; updatedAt: string; updatedBy: Actor },
  after: EnrichmentInput,
  before?: EnrichmentInput,
): Promise<void> {
  const document: ChangeDocument = {
    id: changeDocumentId(saved.enrichmentId, saved.version),
    tenantId,
    type: CHANGE_TYPE,
    enrichmentId: saved.enrichmentId,
    version: saved.version,
    kind: before ? 'changed' : 'created',
    changedAt: saved.updatedAt,
    changedBy: saved.updatedBy,
    changes: before ? changesBetween(before, after) : [],
  };
  await new ConfigurationRepository(containers.configurations, tenantId).upsert(document);
}

/** The enrichment's history, newest first (at most HISTORY_LIMIT entries). */
export async function loadHistory(
  containers: Containers,
  tenantId: string,
  enrichmentId: string,
): Promise<ConfigChange[]> {
  const documents = await new ConfigurationRepository(
    containers.configurations,
    tenantId,
  ).list<ChangeDocument>(CHANGE_TYPE, { enrichmentId });
  return documents
    .map((d) => configChangeSchema.parse(d))
    .sort((a, b) => b.version - a.version)
    .slice(0, HISTORY_LIMIT);
}
