import { request } from '../api/client';
import { api } from '../api/operations';
import type { DirectoryMatch } from '../api/types';

/** A directory match as the API answers it: groups carry the users they resolve to. */
export type Match = DirectoryMatch & { memberCount?: number | null };

/**
 * The directory operations the tracked-address picker calls. `GET /api/directory/suggestions` is
 * answered by tab/api/routes/directory-routes.ts and described in the OpenAPI document.
 */
export const directory = {
  /** Users and groups matching a word of their name, the start of an address, or an object id. */
  search: (q: string, signal?: AbortSignal) => api.directory(q, signal) as Promise<{ matches: Match[] }>,
  /** Before anything is typed: the tenant's groups, then some people. */
  suggestions: (signal?: AbortSignal) =>
    request<{ matches: Match[] }>('GET', '/directory/suggestions', {
      query: { groups: 10, people: 5 },
      signal,
    }),
};
