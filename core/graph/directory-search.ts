import type { GraphConnection } from './client.ts';
import { graphGet } from './request.ts';
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
}

interface Found {
  id?: unknown;
  displayName?: unknown;
  mail?: unknown;
  userPrincipalName?: unknown;
}

export const MAX_SEARCH_RESULTS = 25;

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
 * Users and groups whose display name or mail starts with `prefix` (case-insensitive, as Entra ID
 * compares), users first, each sorted by display name; at most `top` of each kind.
 */
export async function searchDirectory(
  graph: GraphConnection,
  prefix: string,
  top: number,
): Promise<DirectoryMatch[]> {
  const literal = odataString(prefix);
  const filter = encodeURIComponent(`startswith(displayName,${literal}) or startswith(mail,${literal})`);
  const search = async (kind: DirectoryMatch['kind'], path: string, fields: readonly string[]) => {
    const page = await graphGet<{ value?: Found[] }>(
      graph,
      `${path}?$filter=${filter}&${selectParam(fields)}&$top=${top}`,
      { what: `searching the directory's ${kind}s` },
    );
    return (page.value ?? [])
      .flatMap((item) => matchOf(kind, item) ?? [])
      .sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? ''));
  };
  const [users, groups] = await Promise.all([
    search('user', '/users', USER_FIELDS),
    search('group', '/groups', GROUP_FIELDS),
  ]);
  return [...users, ...groups];
}
