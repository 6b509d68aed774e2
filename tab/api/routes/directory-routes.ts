import { z } from 'zod';
import { MAX_SEARCH_RESULTS, searchDirectory } from '../../../core/graph/directory-search';
import type { AppServices } from '../../../server/services';
import type { AnyRoute } from '../route';
import { appRoute } from './app-route';
import { answering } from './config-errors';

const matchSchema = z.object({
  kind: z.enum(['user', 'group']),
  id: z.string(),
  displayName: z.string().nullable(),
  address: z.string().nullable(),
  /** What to add to the tracked entries. */
  entry: z.string(),
});

const searchRoute = appRoute({
  method: 'get',
  path: '/directory/search',
  summary: 'Users and groups whose display name or mail starts with `q`, for the tracked addresses',
  tag: 'Directory',
  access: 'admin',
  query: z.object({
    q: z.string().trim().min(1, 'Type at least one character').max(100),
    top: z.coerce.number().int().min(1).max(MAX_SEARCH_RESULTS).default(10).describe('Results per kind'),
  }),
  responses: {
    200: {
      description: 'Users first, then groups, each by name',
      schema: z.object({ matches: z.array(matchSchema) }),
    },
    502: { description: 'Microsoft Graph did not answer' },
  },
  async handler({ services, query }) {
    return { body: { matches: await answering(searchDirectory(services.graph, query.q, query.top)) } };
  },
});

export function directoryRoutes(): AnyRoute<AppServices>[] {
  return [searchRoute];
}
