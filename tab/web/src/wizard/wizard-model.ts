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

/**
 * The numbered steps: everything after the overview, which only says what comes. The step list,
 * the overview's list, the step headings and "Step n of m" all number from here.
 */
export const NUMBERED_STEPS = STEPS.slice(1);
export const STEP_COUNT = NUMBERED_STEPS.length;

/** The step's number (1 to STEP_COUNT), or undefined for the overview. */
export function stepNumber(step: StepId): number | undefined {
  const index = NUMBERED_STEPS.findIndex((s) => s.id === step);
  return index < 0 ? undefined : index + 1;
}

/** "Step 2 of 6" for a numbered step; "Before you start" for the overview. */
export function stepPosition(step: StepId): string {
  const number = stepNumber(step);
  return number === undefined ? 'Before you start' : `Step ${number} of ${STEP_COUNT}`;
}

/** The step as the step list and the heading name it: "2. Consent statement", or "Overview". */
export function stepLabel(step: StepId): string {
  const title = STEPS.find((s) => s.id === step)?.title ?? step;
  const number = stepNumber(step);
  return number === undefined ? title : `${number}. ${title}`;
}

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

/** A tracked entry as the directory knows it: its display name and, for a group, its member count. */
export interface EntryLabel {
  name: string | null;
  /** Groups: the users the group resolves to, nested groups included; null when not counted. */
  memberCount?: number | null;
}

export type EntryLabels = Record<string, EntryLabel>;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "14 people" (a group's resolved members), or undefined when not known. */
export function memberCountText(count: number | null | undefined): string | undefined {
  return count === null || count === undefined ? undefined : plural(count, 'person', 'people');
}

/** How a tracked entry is shown: "US Sales · 14 people", "Ana Diaz", or the entry as typed. */
export function entryText(
  entry: string,
  kind: 'user' | 'group' | undefined,
  label: EntryLabel | undefined,
): string {
  const name = label?.name ?? entry;
  const members = kind === 'group' ? memberCountText(label?.memberCount) : undefined;
  return members ? `${name} · ${members}` : name;
}

/**
 * The tracked step's summary: how many entries of each kind, and at most how many people they
 * make (people listed plus each group's members; the save removes duplicates).
 */
export function trackedSummary(tracked: readonly string[], kinds: EntryKinds, labels: EntryLabels): string {
  if (tracked.length === 0) return 'Nothing listed yet.';
  const groups = tracked.filter((e) => kinds[e] === 'group');
  const people = tracked.length - groups.length;
  const listed = `${tracked.length} listed: ${plural(people, 'person', 'people')}, ${plural(groups.length, 'group', 'groups')}.`;
  const counts = groups.map((g) => labels[g]?.memberCount);
  if (groups.length === 0 || counts.some((c) => c === null || c === undefined)) return listed;
  const most = people + counts.reduce<number>((sum, c) => sum + (c ?? 0), 0);
  return `${listed} At most ${plural(most, 'person is', 'people are')} tracked: the save counts each person once.`;
}

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
