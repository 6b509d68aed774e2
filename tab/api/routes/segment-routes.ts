import { contractRow } from '../../../core/results/columns';
import { actorOf } from '../../../core/config/actor';
import type { EnrichmentConfig } from '../../../core/config/enrichment-config';
import type { EngagementRow } from '../../../core/engine';
import type { RowScope } from '../../../core/store/rule-compiler';
import { SegmentLibrary, type Segment } from '../../../core/segments/segment-library';
import { SegmentQueries } from '../../../core/store/segment-queries';
import type { VisibleRun } from '../../../core/results/stored-rows';
import { ResultsRepository } from '../../../core/store/results-repository';
import type { AppServices } from '../../../server/services';
import { conflict, notFound } from '../errors';
import type { AnyRoute, HandlerInput } from '../route';
import { appRoute } from './app-route';
import { continuePaging, decodePageToken, encodePageToken } from './page-token';
import { enrichmentOf } from './run-routes';
import { enrichmentParams } from './run-schemas';
import {
  createSegmentBody,
  measuresQuery,
  measuresSchema,
  memberPageQuery,
  memberPageSchema,
  previewBody,
  previewSchema,
  SEGMENT_BODY_LIMIT_BYTES,
  segmentListSchema,
  segmentParams,
  segmentSchema,
  updateSegmentBody,
} from './segment-schemas';

const TAG = 'Segments';

type Input = HandlerInput<{ enrichmentId: string }, unknown, unknown, AppServices>;

interface Context {
  config: EnrichmentConfig;
  library: SegmentLibrary;
  queries: SegmentQueries;
  /** The visible run's Year rows, or undefined before the first successful run. */
  scope: RowScope | undefined;
  visible: VisibleRun | undefined;
}

async function contextOf(input: Input): Promise<Context> {
  const config = await enrichmentOf(input);
  const { containers } = input.services;
  const tenantId = input.identity.tenantId;
  const visible = await new ResultsRepository(containers.results, tenantId).visibleRun(config.entityName);
  return {
    config,
    library: new SegmentLibrary({ containers, tenantId, now: input.services.now }, config),
    queries: new SegmentQueries(containers.results),
    scope: visible ? { tenantId, entity: config.entityName, runId: visible.runId } : undefined,
    visible,
  };
}

const runOf = (visible: VisibleRun | undefined) => ({
  runId: visible?.runId ?? null,
  asOf: visible?.asOf ?? null,
});

async function withMembers(context: Context, segment: Segment) {
  const members = context.scope ? await context.queries.count(context.scope, segment.rules) : null;
  return { ...segment, members };
}

async function segmentOf(context: Context, segmentId: string): Promise<Segment> {
  const segment = await context.library.find(segmentId);
  if (!segment) throw notFound(`Segment "${segmentId}"`);
  return segment;
}

const listSegments = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/segments',
  summary: 'The segments: the built-in "Stale accounts" and the saved ones, with their member counts',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  responses: {
    200: { description: 'The segments, the built-in one first', schema: segmentListSchema },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const context = await contextOf(input);
    const segments = await context.library.list();
    const [accounts, ...withCounts] = await Promise.all([
      context.scope ? context.queries.count(context.scope) : 0,
      ...segments.map((segment) => withMembers(context, segment)),
    ]);
    return { body: { ...runOf(context.visible), accounts, segments: withCounts } };
  },
});

const createSegment = appRoute({
  method: 'post',
  path: '/enrichments/:enrichmentId/segments',
  summary: 'Save a segment: a name and AND/OR rules over the output entity’s columns',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  body: createSegmentBody,
  maxBodyBytes: SEGMENT_BODY_LIMIT_BYTES,
  responses: {
    201: { description: 'The saved segment, with its member count', schema: segmentSchema },
    400: { description: 'Malformed rules; each problem names its path, e.g. `rules.rules.1.value`' },
    404: { description: 'No such enrichment' },
    409: { description: 'A segment of that name exists already' },
  },
  async handler(input) {
    const context = await contextOf(input);
    const segment = await context.library.create(input.body, actorOf(input.identity));
    return {
      status: 201,
      body: await withMembers(context, segment),
      headers: { location: `segments/${segment.segmentId}` },
    };
  },
});

const previewSegment = appRoute({
  method: 'post',
  path: '/enrichments/:enrichmentId/segments/preview',
  summary: 'Count the members of rules that are not saved (live count while editing)',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  body: previewBody,
  maxBodyBytes: SEGMENT_BODY_LIMIT_BYTES,
  responses: {
    200: { description: 'How many accounts the rules select, of how many', schema: previewSchema },
    400: { description: 'Malformed rules; each problem names its path' },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const { scope, queries, visible } = await contextOf(input);
    const [accounts, members] = scope
      ? await Promise.all([queries.count(scope), queries.count(scope, input.body.rules)])
      : [0, 0];
    return { body: { ...runOf(visible), accounts, members } };
  },
});

const getSegment = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/segments/:segmentId',
  summary: 'One segment (`stale` is the built-in one), with its member count and etag',
  tag: TAG,
  access: 'admin',
  params: segmentParams,
  responses: {
    200: { description: 'The segment', schema: segmentSchema },
    404: { description: 'No such enrichment or segment' },
  },
  async handler(input) {
    const context = await contextOf(input);
    return { body: await withMembers(context, await segmentOf(context, input.params.segmentId)) };
  },
});

const updateSegment = appRoute({
  method: 'put',
  path: '/enrichments/:enrichmentId/segments/:segmentId',
  summary: 'Replace a saved segment’s name, description and rules, if unchanged since it was read',
  tag: TAG,
  access: 'admin',
  params: segmentParams,
  body: updateSegmentBody,
  maxBodyBytes: SEGMENT_BODY_LIMIT_BYTES,
  responses: {
    200: { description: 'The segment as saved, with its new etag', schema: segmentSchema },
    400: { description: 'Malformed rules; each problem names its path' },
    404: { description: 'No such enrichment or segment' },
    409: {
      description:
        'The segment changed since it was read (etag), the name is taken, or it is the built-in segment',
    },
  },
  async handler(input) {
    const context = await contextOf(input);
    const { etag, ...definition } = input.body;
    const segment = await context.library.update(
      input.params.segmentId,
      definition,
      etag,
      actorOf(input.identity),
    );
    if (!segment) throw notFound(`Segment "${input.params.segmentId}"`);
    return { body: await withMembers(context, segment) };
  },
});

const deleteSegment = appRoute({
  method: 'delete',
  path: '/enrichments/:enrichmentId/segments/:segmentId',
  summary: 'Delete a saved segment (the built-in one cannot be deleted)',
  tag: TAG,
  access: 'admin',
  params: segmentParams,
  responses: {
    204: { description: 'Deleted' },
    404: { description: 'No such enrichment or segment' },
    409: { description: 'The built-in segment cannot be deleted' },
  },
  async handler(input) {
    const context = await contextOf(input);
    if (!(await context.library.delete(input.params.segmentId))) {
      throw notFound(`Segment "${input.params.segmentId}"`);
    }
    return { status: 204 };
  },
});

const segmentMembers = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/segments/:segmentId/members',
  summary: 'A page of the segment’s members (their Year rows), sorted by any column',
  tag: TAG,
  access: 'admin',
  params: segmentParams,
  query: memberPageQuery,
  responses: {
    200: { description: 'A page of members; `nextPage` leads to the next one', schema: memberPageSchema },
    404: { description: 'No such enrichment or segment' },
    409: { description: 'A newer run was published since the first page; start again' },
  },
  async handler(input) {
    const context = await contextOf(input);
    const segment = await segmentOf(context, input.params.segmentId);
    const { scope, visible } = context;
    const base = { ...runOf(visible), segmentId: segment.segmentId };
    if (!scope) return { body: { ...base, total: 0, rows: [] } };
    const token = input.query.page ? decodePageToken(input.query.page, 'page') : undefined;
    if (token && token.runId !== scope.runId) {
      throw conflict(
        'The results changed since the first page (a newer run is shown); start from the first page.',
      );
    }
    const [page, total] = await Promise.all([
      continuePaging(token, 'page', () =>
        context.queries.members<EngagementRow>(scope, segment.rules, {
          sort: input.query.sort,
          order: input.query.order,
          pageSize: input.query.pageSize,
          ...(token ? { continuation: token.continuation } : {}),
        }),
      ),
      context.queries.count(scope, segment.rules),
    ]);
    return {
      body: {
        ...base,
        total,
        rows: page.rows.map(contractRow),
        ...(page.continuation
          ? { nextPage: encodePageToken({ continuation: page.continuation, runId: scope.runId }) }
          : {}),
      },
    };
  },
});

const measures = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/measures',
  summary: 'Count, sum, average, min and max of a numeric column over all accounts or a segment',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  query: measuresQuery,
  responses: {
    200: {
      description: 'The figures (nulls are left out; null figures when there is no value)',
      schema: measuresSchema,
    },
    404: { description: 'No such enrichment or segment' },
  },
  async handler(input) {
    const context = await contextOf(input);
    const { segmentId, column } = input.query;
    const segment = segmentId ? await segmentOf(context, segmentId) : undefined;
    const figures = context.scope
      ? await context.queries.measures(context.scope, column, segment?.rules)
      : { accounts: 0, count: 0, sum: 0, average: null, min: null, max: null };
    return { body: { ...runOf(context.visible), column, segmentId: segmentId ?? null, ...figures } };
  },
});

export function segmentRoutes(): AnyRoute<AppServices>[] {
  return [
    listSegments,
    createSegment,
    previewSegment,
    getSegment,
    updateSegment,
    deleteSegment,
    segmentMembers,
    measures,
  ];
}
