import type { FieldProblem } from '../api/client';
import type { EnrichmentDraft, Region } from '../api/types';

export const STEPS = [
  { id: 'overview', title: 'Overview' },
  { id: 'tracked', title: 'Who to track' },
  { id: 'consent', title: 'Consent statement' },
  { id: 'dataset', title: 'Customer dataset' },
  { id: 'mapping', title: 'Field mapping' },
  { id: 'names', title: 'Names and region' },
  { id: 'review', title: 'Review and save' },
] as const;

export type StepId = (typeof STEPS)[number]['id'];

export const REGION_LABELS: Record<Region, string> = {
  uk: 'United Kingdom',
  europe: 'Europe',
  northAmerica: 'North America',
};

export const DEFAULT_ENTITY_NAME = 'Office';
export const MIN_TRACKED_USERS = 2;
export const MAX_TRACKED_USERS = 2500;

const ENTITY_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An entry the admin may type: an address, or a user's or group's object id. */
export const isTrackableEntry = (entry: string): boolean => ADDRESS.test(entry) || OBJECT_ID.test(entry);

/** The step whose fields hold a problem the API named (`mapping.emailField` → mapping). */
export function stepOfField(field: string): StepId {
  const top = field.split(/[.[]/, 1)[0] ?? '';
  switch (top) {
    case 'tracked':
      return 'tracked';
    case 'consentStatement':
      return 'consent';
    case 'datasetId':
      return 'dataset';
    case 'mapping':
      return 'mapping';
    case 'name':
    case 'entityName':
    case 'region':
      return 'names';
    default:
      return 'review';
  }
}

/** What the tab knows about a tracked entry beyond its text, from the directory search. */
export type EntryKinds = Record<string, 'user' | 'group'>;

/**
 * The checks a step can make before the server's (which resolves groups and reads the dataset):
 * required choices and the shape of names. Messages read like the server's.
 */
export function stepProblems(step: StepId, draft: EnrichmentDraft, kinds: EntryKinds): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  switch (step) {
    case 'tracked': {
      const entries = draft.tracked ?? [];
      const bad = entries.filter((e) => kinds[e] === undefined && !isTrackableEntry(e));
      if (entries.length === 0) {
        add('tracked', `List the addresses or groups to track (${MIN_TRACKED_USERS} to 2,500 users).`);
      } else if (bad.length) {
        add('tracked', `Not an address or object id: ${bad.join(', ')}.`);
      } else if (entries.length < MIN_TRACKED_USERS && !entries.some((e) => kinds[e] === 'group')) {
        add(
          'tracked',
          `At least ${MIN_TRACKED_USERS} users must be tracked, but ${entries.length} is listed. Add another person or a group.`,
        );
      } else if (entries.length > MAX_TRACKED_USERS && entries.every((e) => kinds[e] !== 'group')) {
        add(
          'tracked',
          `At most 2,500 users can be tracked, but ${entries.length.toLocaleString()} are listed.`,
        );
      }
      break;
    }
    case 'consent':
      if (draft.consentStatement?.accepted !== true) {
        add('consentStatement.accepted', 'Accept the consent statement to continue.');
      }
      break;
    case 'dataset':
      if (!draft.datasetId) add('datasetId', 'Choose a customer dataset, or import one.');
      break;
    case 'mapping':
      if (!draft.mapping?.emailField) {
        add('mapping.emailField', 'Choose the contact field that holds the email address.');
      }
      break;
    case 'names': {
      const name = (draft.name ?? '').trim();
      if (!name) add('name', 'Enter a name for the enrichment.');
      else if (!/[A-Za-z0-9]/.test(name)) add('name', 'The name must contain a letter or a digit.');
      const entity = (draft.entityName ?? '').trim();
      if (!ENTITY_NAME.test(entity)) {
        add(
          'entityName',
          'The output entity name may contain only letters, digits and _, and starts with a letter.',
        );
      }
      if (!draft.region) add('region', 'Choose the data region.');
      break;
    }
    case 'overview':
    case 'review':
      break;
  }
  return problems;
}

/** Messages per field, for `Field validationMessage`. */
export function messagesByField(problems: readonly FieldProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) out[p.field] = out[p.field] ? `${out[p.field]} ${p.message}` : p.message;
  return out;
}

/** The message for a field or anything inside it (`mapping` covers `mapping.emailField`). */
export function messageFor(messages: Record<string, string>, field: string): string | undefined {
  const found = Object.entries(messages)
    .filter(([f]) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`))
    .map(([, m]) => m);
  return found.length ? found.join(' ') : undefined;
}
