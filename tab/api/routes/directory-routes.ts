import { z } from 'zod';
import { MAX_SEARCH_RESULTS, searchDirectory, suggestDirectory } from '../../../core/graph/directory-search';
import type { AppServices } from '../../../server/services';
import type { AnyRoute } from '../route';
import { appRoute } from './app-route';

const matchSchema = z.object({
  kind: z.enum(['user', 'group']),
  id: z.string(),
  displayName: z.string().nullable(),
  address: z.string().nullable(),
  /** What to add to the tracked entries. */
  entry: z.string(),
  /** Groups only: the users it resolves to, nested groups included (null when Graph did not count). */
  memberCount: z.number().int().nonnegative().nullable().optional(),
});

const matchesSchema = z.object({ matches: z.array(matchSchema) });

const searchRoute = appRoute({
  method: 'get',
  path: '/directory/search',
  summary:
    'Users and groups for the tracked addresses: a word anywhere in the display name, the start of a mail or user principal name, or an object id',
  tag: 'Directory',
  access: 'admin',
  query: z.object({
    q: z.string().trim().min(1, 'Type at least one character').max(100),
    top: z.coerce.number().int().min(1).max(MAX_SEARCH_RESULTS).default(10).describe('Results per kind'),
  }),
  responses: {
    200: {
      description: 'Users first, then groups (with their member counts), each by name',
      schema: matchesSchema,
    },
    502: { description: 'Microsoft Graph did not answer' },
  },
  async handler({ services, query }) {
    return { body: { matches: await searchDirectory(services.graph, query.q, query.top) } };
  },
});

const suggestionsRoute = appRoute({
  method: 'get',
  path: '/directory/suggestions',
  summary: 'What the tracked-address picker offers before anything is typed: the groups, then some people',
  tag: 'Directory',
  access: 'admin',
  query: z.object({
    groups: z.coerce.number().int().min(1).max(MAX_SEARCH_RESULTS).default(10).describe('Groups at most'),
    people: z.coerce.number().int().min(1).max(MAX_SEARCH_RESULTS).default(5).describe('People at most'),
  }),
  responses: {
    200: {
      description: 'Groups by name with their member counts, then people by name',
      schema: matchesSchema,
    },
    502: { description: 'Microsoft Graph did not answer' },
  },
  async handler({ services, query }) {
    return {
      body: { matches: await suggestDirectory(services.graph, query.groups, query.people) },
    };
  },
});

export function directoryRoutes(): AnyRoute<AppServices>[] {
  return [searchRoute, suggestionsRoute];
}
