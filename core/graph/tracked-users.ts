import { batchAnswerError, batchGet, type BatchAnswer, type BatchGetRequest } from './batch.ts';
import { normaliseEmail } from '../engine/addresses.ts';
import type { GraphConnection } from './client.ts';
import { normalizeAddress } from './mapping.ts';
import { ADVANCED_QUERY_HEADERS, filterEquals, graphPages } from './request.ts';
import { GROUP_FIELDS, selectParam, USER_FIELDS } from './select.ts';

/**
 * Tracked users: the admin's list of addresses and groups, resolved to Entra users.
 *
 * An entry is an address (a user's mail or user principal name, or a group's mail) or a group's
 * object id. Addresses are looked up in batches: users by `mail`, then the rest by
 * `userPrincipalName`, then the rest as group mail. Groups are expanded with
 * `transitiveMembers/microsoft.graph.user` (nested groups included, users only), an advanced query.
 * Users are de-duplicated by object id and remember every listed group they came from. The resolved
 * set must hold 2 to 2,500 users, or `TrackedUsersError` says how many were resolved and which
 * entries were not found.
 */

export const MIN_TRACKED_USERS = 2;
export const MAX_TRACKED_USERS = 2500;

export interface TrackedGroup {
  id: string;
  displayName: string | null;
  mail: string | null;
}

export interface TrackedUser {
  /** Entra object id. */
  id: string;
  /** The address activity is matched on: mail, or the user principal name when there is no mail; trimmed, lower-case. */
  address: string;
  mail: string | null;
  userPrincipalName: string;
  displayName: string | null;
  /** True when an entry named the user directly. */
  direct: boolean;
  /** The listed groups the user came from (empty when only named directly). */
  groups: TrackedGroup[];
}

export interface TrackedUsersResolution {
  /** Sorted by address. */
  users: TrackedUser[];
  /** The listed groups that were found. */
  groups: TrackedGroup[];
  /** Entries that matched no user and no group, as the admin wrote them. */
  unknown: string[];
}

export class TrackedUsersError extends Error {
  constructor(
    message: string,
    readonly resolved: number,
    readonly unknown: readonly string[],
  ) {
    super(message);
    this.name = 'TrackedUsersError';
  }
}

interface GraphUser {
  id?: unknown;
  mail?: unknown;
  userPrincipalName?: unknown;
  displayName?: unknown;
  '@odata.type'?: unknown;
}

interface GraphGroup {
  id?: unknown;
  mail?: unknown;
  displayName?: unknown;
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_SELECT = selectParam(USER_FIELDS);
const GROUP_SELECT = selectParam(GROUP_FIELDS);
const WHAT = 'resolving tracked users';

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function toUser(raw: GraphUser): Omit<TrackedUser, 'direct' | 'groups'> | undefined {
  const id = text(raw.id);
  const upn = text(raw.userPrincipalName);
  if (!id || !upn) return undefined;
  if (typeof raw['@odata.type'] === 'string' && raw['@odata.type'] !== '#microsoft.graph.user')
    return undefined;
  const mail = normalizeAddress(raw.mail);
  return {
    id,
    address: mail ?? normaliseEmail(upn),
    mail,
    userPrincipalName: upn,
    displayName: text(raw.displayName),
  };
}

function toGroup(raw: GraphGroup): TrackedGroup | undefined {
  const id = text(raw.id);
  if (!id) return undefined;
  return { id, displayName: text(raw.displayName), mail: normalizeAddress(raw.mail) };
}

/** The object an answer carries: the first item of a filtered collection, or the entity itself; undefined on 404. */
function found(answer: BatchAnswer | undefined): Record<string, unknown> | undefined {
  if (!answer || answer.status === 404) return undefined;
  if (answer.status >= 400) throw batchAnswerError(answer, WHAT);
  const body = answer.body as { value?: unknown } | null;
  if (body && Array.isArray(body.value))
    return (body.value[0] as Record<string, unknown> | undefined) ?? undefined;
  return body ?? undefined;
}

/** Looks every entry up with one URL each; returns what was found, by entry. */
async function lookUp(
  graph: GraphConnection,
  entries: readonly string[],
  urlFor: (entry: string) => string,
): Promise<Map<string, Record<string, unknown>>> {
  const requests: BatchGetRequest[] = entries.map((entry, i) => ({ id: String(i + 1), url: urlFor(entry) }));
  const answers = await batchGet(graph, requests, WHAT);
  const result = new Map<string, Record<string, unknown>>();
  entries.forEach((entry, i) => {
    const item = found(answers.get(String(i + 1)));
    if (item) result.set(entry, item);
  });
  return result;
}

/**
 * The users of a group, nested groups included. The cast to `microsoft.graph.user` is an advanced
 * query: Graph answers it only with `$count=true` and `ConsistencyLevel: eventual`, which graphPages
 * sends again with every nextLink.
 */
async function* groupMembers(graph: GraphConnection, group: TrackedGroup): AsyncGenerator<GraphUser> {
  const url = `/groups/${encodeURIComponent(group.id)}/transitiveMembers/microsoft.graph.user?$count=true&${USER_SELECT}&$top=999`;
  for await (const page of graphPages<GraphUser>(graph, url, {
    what: `expanding group ${group.displayName ?? group.id}`,
    headers: ADVANCED_QUERY_HEADERS,
  })) {
    yield* page.value;
  }
}

export interface ResolveTrackedUsersOptions {
  min?: number;
  max?: number;
}

export async function resolveTrackedUsers(
  graph: GraphConnection,
  entries: readonly string[],
  options: ResolveTrackedUsersOptions = {},
): Promise<TrackedUsersResolution> {
  const min = options.min ?? MIN_TRACKED_USERS;
  const max = options.max ?? MAX_TRACKED_USERS;

  // Entries as written, de-duplicated case-insensitively (the first spelling is kept for messages).
  const listed = new Map<string, string>();
  for (const entry of entries) {
    const trimmed = entry.trim();
    if (trimmed !== '' && !listed.has(trimmed.toLowerCase())) listed.set(trimmed.toLowerCase(), trimmed);
  }
  const keys = [...listed.keys()];
  const ids = keys.filter((key) => OBJECT_ID.test(key));
  const addresses = keys.filter((key) => !OBJECT_ID.test(key));

  const users = new Map<string, TrackedUser>();
  const groups = new Map<string, TrackedGroup>();
  const addUser = (raw: GraphUser, from?: TrackedGroup): void => {
    const user = toUser(raw);
    if (!user) return;
    const known = users.get(user.id) ?? { ...user, direct: false, groups: [] };
    if (from) {
      if (!known.groups.some((g) => g.id === from.id)) known.groups.push(from);
    } else {
      known.direct = true;
    }
    users.set(user.id, known);
  };
  const addGroup = (raw: GraphGroup): void => {
    const group = toGroup(raw);
    if (group) groups.set(group.id, group);
  };

  const stage = async (
    candidates: readonly string[],
    urlFor: (entry: string) => string,
    accept: (item: Record<string, unknown>) => void,
  ): Promise<string[]> => {
    const hits = await lookUp(graph, candidates, urlFor);
    for (const item of hits.values()) accept(item);
    return candidates.filter((entry) => !hits.has(entry));
  };

  let open = await stage(
    addresses,
    (a) => `/users?${filterEquals('mail', a)}&${USER_SELECT}`,
    (u) => addUser(u),
  );
  open = await stage(
    open,
    (a) => `/users?${filterEquals('userPrincipalName', a)}&${USER_SELECT}`,
    (u) => addUser(u),
  );
  open = await stage(open, (a) => `/groups?${filterEquals('mail', a)}&${GROUP_SELECT}`, addGroup);
  let openIds = await stage(ids, (id) => `/groups/${id}?${GROUP_SELECT}`, addGroup);
  openIds = await stage(
    openIds,
    (id) => `/users/${id}?${USER_SELECT}`,
    (u) => addUser(u),
  );

  await Promise.all(
    [...groups.values()].map(async (group) => {
      for await (const member of groupMembers(graph, group)) addUser(member, group);
    }),
  );

  const unknown = [...open, ...openIds].map((key) => listed.get(key) ?? key);
  const sorted = [...users.values()].sort((a, b) =>
    a.address < b.address ? -1 : a.address > b.address ? 1 : 0,
  );
  if (sorted.length < min || sorted.length > max) {
    const unknownNote = unknown.length ? `; not found: ${unknown.join(', ')}` : '';
    throw new TrackedUsersError(
      `Tracked users must resolve to between ${min} and ${max.toLocaleString('en-US')} addresses, but ${sorted.length.toLocaleString('en-US')} resolved from ${listed.size} ${listed.size === 1 ? 'entry' : 'entries'}${unknownNote}.`,
      sorted.length,
      unknown,
    );
  }
  return { users: sorted, groups: [...groups.values()], unknown };
}
