import type { GraphConnection } from './client.ts';
import { GraphBadRequestError } from './errors.ts';
import { ADVANCED_QUERY_HEADERS, graphGet } from './request.ts';
import { GROUP_FIELDS, selectParam, USER_FIELDS } from './select.ts';

/** A user or group the admin may add to the tracked entries. */
export interface DirectoryMatch {
  kind: 'user' | 'group';
  id: string;
  displayName: string | null;
  /** The user's mail (or user principal name), the group's mail; null for a group without mail. */
  address: string | null;
  /** What to put in the tracked entries: the address, or the group's object id when it has no mail. */
  entry: string;
  /**
   * Groups only: the users the group resolves to (nested groups included), counted the way a save
   * expands it (`transitiveMembers/microsoft.graph.user`); null when Graph did not say.
   */
  memberCount?: number | null;
}

interface Found {
  id?: unknown;
  displayName?: unknown;
  mail?: unknown;
  userPrincipalName?: unknown;
}

interface Page {
  value?: Found[];
  '@odata.nextLink'?: unknown;
  '@odata.count'?: unknown;
}

export const MAX_SEARCH_RESULTS = 25;

/** Items asked for per page of a search, and pages read at most while looking for `top` matches. */
const SEARCH_PAGE = 50;
const SEARCH_PAGES = 4;

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A string literal for OData `$filter`: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function matchOf(kind: DirectoryMatch['kind'], item: Found): DirectoryMatch | undefined {
  const id = text(item.id);
  if (!id) return undefined;
  const address = text(item.mail) ?? (kind === 'user' ? text(item.userPrincipalName) : null);
  return { kind, id, displayName: text(item.displayName), address, entry: address ?? id };
}

/**
 * The words of a display name the way Entra ID tokenizes it for `$search`: split at spaces and
 * punctuation and where a lower-case letter meets an upper-case one ("US Sales", "us-sales" and
 * "UsSales" all hold the words "us" and "sales"); lower-cased.
 */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Whether a user or group matches what the admin typed, as `$search` on directory objects
 * matches: every typed word starts a word of the display name (anywhere in it: "sales" finds
 * "US Sales"), or the whole text starts the mail or user principal name. Text with an `@` is an
 * address being typed: only mail and user principal names are compared with it.
 */
export function matchesQuery(item: Found, query: string): boolean {
  const wanted = query.trim().toLowerCase();
  if (!wanted) return false;
  const starts = (value: unknown) => typeof value === 'string' && value.toLowerCase().startsWith(wanted);
  if (starts(item.mail) || starts(item.userPrincipalName)) return true;
  if (wanted.includes('@')) return false;
  const name = text(item.displayName);
  if (!name) return false;
  const words = nameTokens(name);
  const typed = nameTokens(query);
  return typed.length > 0 && typed.every((t) => words.some((w) => w.startsWith(t)));
}

/**
 * The `$search` expression for a query: one clause per property, joined by OR
 * (`"displayName:sales" OR "mail:sales"`). Double quotes and backslashes cannot appear inside a
 * clause, so they are left out of the text.
 */
export function searchExpression(query: string, properties: readonly string[]): string {
  const cleaned = query.replaceAll(/["\\]/g, ' ').replaceAll(/\s+/g, ' ').trim();
  return properties.map((p) => `"${p}:${cleaned}"`).join(' OR ');
}

const byName = (a: DirectoryMatch, b: DirectoryMatch) =>
  (a.displayName ?? a.entry).localeCompare(b.displayName ?? b.entry);

type Kind = DirectoryMatch['kind'];

const KINDS: Record<Kind, { path: string; fields: readonly string[]; searched: readonly string[] }> = {
  user: { path: '/users', fields: USER_FIELDS, searched: ['displayName', 'mail', 'userPrincipalName'] },
  group: { path: '/groups', fields: GROUP_FIELDS, searched: ['displayName', 'mail'] },
};

/**
 * The users (or groups) matching `query`, at most `top`, by name. Asks Graph's `$search` (tokenized
 * on display names, so a word anywhere in the name matches; a prefix on mail and user principal
 * name) as an advanced query (`$count=true` and `ConsistencyLevel: eventual`, on every page), and
 * keeps only the items that match what was typed, reading on while fewer than `top` are kept (a few
 * pages at most). Where `$search` is refused (400: Azure AD B2C tenants have none), `$filter` with
 * `startswith` is asked instead.
 */
async function searchKind(graph: GraphConnection, kind: Kind, query: string, top: number) {
  const { path, fields, searched } = KINDS[kind];
  const what = `searching the directory's ${kind}s`;
  const found: DirectoryMatch[] = [];
  const keep = (page: Page) => {
    for (const item of page.value ?? []) {
      const match = matchOf(kind, item);
      if (match && matchesQuery(item, query) && !found.some((f) => f.id === match.id)) found.push(match);
    }
  };
  const search = encodeURIComponent(searchExpression(query, searched));
  // The List users and List groups pages require $count with $search; the advanced-queries page
  // exempts $search from it. Sending both satisfies either reading.
  let url: string | undefined =
    `${path}?$search=${search}&$count=true&${selectParam(fields)}&$top=${SEARCH_PAGE}`;
  try {
    for (let pages = 0; url && pages < SEARCH_PAGES && found.length < top; pages++) {
      const page: Page = await graphGet<Page>(graph, url, { what, headers: ADVANCED_QUERY_HEADERS });
      keep(page);
      url = text(page['@odata.nextLink']) ?? undefined;
    }
  } catch (error) {
    if (!(error instanceof GraphBadRequestError)) throw error;
    const literal = odataString(query.trim());
    const filter = encodeURIComponent(searched.map((p) => `startswith(${p},${literal})`).join(' or '));
    keep(
      await graphGet<Page>(graph, `${path}?$filter=${filter}&${selectParam(fields)}&$top=${top}`, { what }),
    );
  }
  return found.sort(byName).slice(0, top);
}

/** A user or group by its object id (`$filter=id eq '…'`), for an id the admin pasted. */
async function byId(graph: GraphConnection, kind: Kind, id: string): Promise<DirectoryMatch[]> {
  const { path, fields } = KINDS[kind];
  const filter = encodeURIComponent(`id eq ${odataString(id)}`);
  const page = await graphGet<Page>(graph, `${path}?$filter=${filter}&${selectParam(fields)}`, {
    what: `looking up a ${kind} by id`,
  });
  return (page.value ?? []).flatMap((item) => matchOf(kind, item) ?? []);
}

/**
 * How many users a group resolves to, nested groups included: the `@odata.count` of
 * `transitiveMembers/microsoft.graph.user` (an OData cast, which Graph answers only as an advanced
 * query: `$count=true` and `ConsistencyLevel: eventual`). Null when Graph gives no count.
 */
export async function groupMemberCount(graph: GraphConnection, groupId: string): Promise<number | null> {
  const page = await graphGet<Page>(
    graph,
    `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$count=true&$select=id&$top=1`,
    { what: 'counting the members of a group', headers: ADVANCED_QUERY_HEADERS },
  );
  const count = page['@odata.count'];
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null;
}

/** Each group with its member count (null where Graph could not count it). */
async function withMemberCounts(
  graph: GraphConnection,
  matches: DirectoryMatch[],
): Promise<DirectoryMatch[]> {
  return Promise.all(
    matches.map(async (match) =>
      match.kind === 'group'
        ? { ...match, memberCount: await groupMemberCount(graph, match.id).catch(() => null) }
        : match,
    ),
  );
}

/**
 * Users and groups matching what the admin typed: a word anywhere in the display name ("sales"
 * finds "US Sales"), the start of a mail or user principal name, or an object id. Users first, each
 * kind by display name, at most `top` of each; groups carry their member count.
 */
export async function searchDirectory(
  graph: GraphConnection,
  query: string,
  top: number,
): Promise<DirectoryMatch[]> {
  const trimmed = query.trim();
  const find = (kind: Kind) =>
    OBJECT_ID.test(trimmed) ? byId(graph, kind, trimmed) : searchKind(graph, kind, trimmed, top);
  const [users, groups] = await Promise.all([find('user'), find('group')]);
  return [...users, ...(await withMemberCounts(graph, groups))];
}

/**
 * What the picker offers before anything is typed: the tenant's groups (with their member counts)
 * and some people, each by display name (`$orderby=displayName`, which users and groups support
 * without advanced query parameters). Groups first: most admins track a sales team.
 */
export async function suggestDirectory(
  graph: GraphConnection,
  groups: number,
  people: number,
): Promise<DirectoryMatch[]> {
  const list = async (kind: Kind, top: number) => {
    const { path, fields } = KINDS[kind];
    const page = await graphGet<Page>(
      graph,
      `${path}?${selectParam(fields)}&$orderby=displayName&$top=${top}`,
      {
        what: `listing the directory's ${kind}s`,
      },
    );
    return (page.value ?? []).flatMap((item) => matchOf(kind, item) ?? []).slice(0, top);
  };
  const [foundGroups, foundPeople] = await Promise.all([list('group', groups), list('user', people)]);
  return [...(await withMemberCounts(graph, foundGroups)), ...foundPeople];
}
