/** Users, groups (members, transitiveMembers) and the organization, as Microsoft Entra ID serves them. */
import {
  advancedOnlyOperator,
  compileSearch,
  hasEventualConsistency,
  parseSearch,
  requireAdvancedQuery,
  requireSearchHeaders,
} from './directory-query';
import type { FixtureGroup, GraphUser } from './fixture-schema';
import { badRequest, jsonResponse, notFound, type SimRequest, type SimResponse } from './graph-http';
import { GROUP_NAMES, GROUP_PROPERTIES, USER_DEFAULT_PROPERTIES, USER_NAMES } from './graph-properties';
import {
  parseFilter,
  parseOrderBy,
  parseSelect,
  parseTop,
  project,
  queryOption,
  type FilterNode,
  type FilterValue,
} from './odata-query';
import { link, nextQuery, type RouteContext } from './route-context';
import type { DirectoryObject } from './tenant-state';

const PAGE_DEFAULT = 100;
const PAGE_MAX = 999;
const SKIPTOKEN_PREFIX = 'RFNwdAIAAQAAA';

type Resource = 'User' | 'Group';

function checkSelect(select: string[] | null, names: ReadonlyMap<string, string>, type: string): void {
  for (const name of select ?? []) {
    if (!names.has(name.toLowerCase())) {
      throw badRequest('Request_BadRequest', `Could not find a property named '${name}' on type '${type}'.`);
    }
  }
}

function unsupportedFilter(property: string, resource: Resource): Error {
  return badRequest(
    'Request_UnsupportedQuery',
    `Unsupported or invalid query filter clause specified for property '${property}' of resource '${resource}'.`,
  );
}

const FILTERABLE: Record<Resource, ReadonlyMap<string, string>> = {
  User: new Map(
    ['id', 'mail', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'jobTitle', 'department'].map(
      (p) => [p.toLowerCase(), p],
    ),
  ),
  Group: new Map(
    ['id', 'mail', 'displayName', 'mailNickname', 'mailEnabled', 'securityEnabled'].map((p) => [
      p.toLowerCase(),
      p,
    ]),
  ),
};

/** What `$search` may name: string properties usable in `$filter`, and a group's description. */
const SEARCHABLE: Record<Resource | 'DirectoryObject', ReadonlyMap<string, string>> = {
  User: FILTERABLE.User,
  Group: new Map(
    ['id', 'mail', 'displayName', 'description', 'mailNickname'].map((p) => [p.toLowerCase(), p]),
  ),
  // Members of any kind: List members and List transitive members search these two.
  DirectoryObject: new Map(['displayName', 'description'].map((p) => [p.toLowerCase(), p])),
};

/**
 * Sorting by default (aad-advanced-queries.md, "Support for sorting"): users by displayName or
 * userPrincipalName, groups by displayName; nothing else sorts, advanced or not.
 */
const ORDERABLE: Record<Resource, ReadonlySet<string>> = {
  User: new Set(['displayName', 'userPrincipalName']),
  Group: new Set(['displayName']),
};

function plain(value: FilterValue): string | boolean | null {
  if (value.kind === 'string') return value.value.toLowerCase();
  if (value.kind === 'boolean') return value.value;
  if (value.kind === 'null') return null;
  return String(value.value);
}

function normalized(v: unknown): string | boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v;
  return String(v).toLowerCase();
}

/** Compiles a directory `$filter` (eq, ne, in, startswith, and, or, not; case-insensitive). */
function compileFilter(node: FilterNode, resource: Resource): (object: Record<string, unknown>) => boolean {
  const property = (name: string): string => {
    const canonical = FILTERABLE[resource].get(name.toLowerCase());
    if (canonical === undefined) throw unsupportedFilter(name, resource);
    return canonical;
  };
  switch (node.type) {
    case 'and': {
      const l = compileFilter(node.left, resource);
      const r = compileFilter(node.right, resource);
      return (o) => l(o) && r(o);
    }
    case 'or': {
      const l = compileFilter(node.left, resource);
      const r = compileFilter(node.right, resource);
      return (o) => l(o) || r(o);
    }
    case 'not': {
      const inner = compileFilter(node.operand, resource);
      return (o) => !inner(o);
    }
    case 'in': {
      const p = property(node.property);
      const values = node.values.map(plain);
      return (o) => values.includes(normalized(o[p]));
    }
    case 'function': {
      const p = property(node.property);
      if (node.name !== 'startswith' || node.value.kind !== 'string')
        throw unsupportedFilter(node.property, resource);
      const prefix = node.value.value.toLowerCase();
      return (o) => {
        const v = normalized(o[p]);
        return typeof v === 'string' && v.startsWith(prefix);
      };
    }
    case 'compare': {
      const p = property(node.property);
      if (node.op !== 'eq' && node.op !== 'ne') throw unsupportedFilter(node.property, resource);
      const expected = plain(node.value);
      return node.op === 'eq' ? (o) => normalized(o[p]) === expected : (o) => normalized(o[p]) !== expected;
    }
  }
}

function decodeSkipToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = token.startsWith(SKIPTOKEN_PREFIX)
    ? Number(Buffer.from(token.slice(SKIPTOKEN_PREFIX.length), 'base64url').toString('utf8'))
    : NaN;
  if (!Number.isInteger(offset) || offset < 0)
    throw badRequest('Request_BadRequest', 'The specified page token value has expired or is invalid.');
  return offset;
}

function encodeSkipToken(offset: number): string {
  return SKIPTOKEN_PREFIX + Buffer.from(String(offset)).toString('base64url');
}

export function userView(user: GraphUser, select: readonly string[] | null): Record<string, unknown> {
  return project(user, select ?? USER_DEFAULT_PROPERTIES, USER_NAMES);
}

export function groupView(group: FixtureGroup, select: readonly string[] | null): Record<string, unknown> {
  return project(group, select ?? GROUP_PROPERTIES, GROUP_NAMES);
}

function directoryObjectView(
  object: DirectoryObject,
  select: readonly string[] | null,
): Record<string, unknown> {
  return object.kind === 'user'
    ? { '@odata.type': '#microsoft.graph.user', ...userView(object.user, select) }
    : { '@odata.type': '#microsoft.graph.group', ...groupView(object.group, select) };
}

/** One page of a directory collection, with `$top`, `$skiptoken`, `$count` and an absolute nextLink. */
function page<T>(
  context: RouteContext,
  items: readonly T[],
  view: (item: T) => Record<string, unknown>,
  contextUrl: string,
): SimResponse {
  const { request } = context;
  const top =
    parseTop(
      queryOption(request.query, 'top'),
      PAGE_MAX,
      'Request_BadRequest',
      (v) => `Invalid page size specified: '${v}'. Must be between 1 and ${PAGE_MAX} inclusive.`,
    ) ?? PAGE_DEFAULT;
  const offset = decodeSkipToken(queryOption(request.query, 'skiptoken'));
  if (queryOption(request.query, 'skip') !== undefined) {
    throw badRequest('Request_BadRequest', "'$skip' is not supported by the service.");
  }
  const slice = items.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': contextUrl };
  // Without ConsistencyLevel, Graph "silently ignores the $count query parameter" (aad-advanced-queries.md).
  if (queryOption(request.query, 'count')?.toLowerCase() === 'true' && hasEventualConsistency(request))
    body['@odata.count'] = items.length;
  if (offset + top < items.length) {
    body['@odata.nextLink'] = link(
      request,
      request.path,
      nextQuery(request.query, { $skiptoken: encodeSkipToken(offset + top), skiptoken: undefined }),
    );
  }
  body['value'] = slice.map(view);
  return jsonResponse(body);
}

function sortBy<T>(
  items: T[],
  orderby: string | undefined,
  resource: Resource,
  fields: (item: T) => Readonly<Record<string, unknown>>,
): T[] {
  const order = parseOrderBy(orderby);
  if (order.length === 0) return items;
  const keys = order.map((o) => {
    const canonical = FILTERABLE[resource].get(o.property.toLowerCase());
    if (canonical === undefined || !ORDERABLE[resource].has(canonical)) {
      throw badRequest('Request_UnsupportedQuery', `Sorting by '${o.property}' is not supported.`);
    }
    return { key: canonical, sign: o.descending ? -1 : 1 };
  });
  return [...items].sort((a, b) => {
    for (const { key, sign } of keys) {
      const x = String(fields(a)[key] ?? '').toLowerCase();
      const y = String(fields(b)[key] ?? '').toLowerCase();
      if (x !== y) return x < y ? -sign : sign;
    }
    return 0;
  });
}

function selectPart(select: readonly string[] | null): string {
  return select ? `(${select.join(',')})` : '';
}

/**
 * `$filter`, `$search` and `$orderby` of a directory list, refusing what needs the advanced query
 * parameters when they are missing: `$search`; `ne` and `not`; `$filter` with `$orderby`
 * (aad-advanced-queries.md). `searchable` names what `$search` may use.
 */
function listQuery(
  request: SimRequest,
  resource: Resource,
  searchable: ReadonlyMap<string, string>,
): { filter: ((o: Record<string, unknown>) => boolean) | null; orderby: string | undefined } {
  const filterText = queryOption(request.query, 'filter');
  const searchText = queryOption(request.query, 'search');
  const orderby = queryOption(request.query, 'orderby');
  const tree = filterText === undefined ? null : parseFilter(filterText);
  if (searchText !== undefined) requireSearchHeaders(request);
  const negation = tree ? advancedOnlyOperator(tree) : undefined;
  if (negation !== undefined) requireAdvancedQuery(request, `Operator '${negation}'`);
  if (tree && orderby !== undefined && orderby.trim() !== '') {
    requireAdvancedQuery(request, 'Sorting with $orderby together with $filter');
  }
  const filter = tree ? compileFilter(tree, resource) : null;
  const search =
    searchText === undefined
      ? null
      : compileSearch(
          parseSearch(searchText),
          (name) => searchable.get(name.toLowerCase()),
          (name) => unsupportedFilter(name, resource),
        );
  const both = filter && search ? (o: Record<string, unknown>) => filter(o) && search(o) : (filter ?? search);
  return { filter: both, orderby };
}

export function listUsers(context: RouteContext): SimResponse {
  const { request, state } = context;
  const select = parseSelect(queryOption(request.query, 'select'));
  checkSelect(select, USER_NAMES, 'microsoft.graph.user');
  const { filter, orderby } = listQuery(request, 'User', SEARCHABLE.User);
  let users = filter ? state.users.filter((u) => filter(u)) : [...state.users];
  users = sortBy(users, orderby, 'User', (u) => u);
  return page(
    context,
    users,
    (u) => userView(u, select),
    `${request.baseUrl}/$metadata#users${selectPart(select)}`,
  );
}

export function getUser(context: RouteContext): SimResponse {
  const { request, state } = context;
  const key = context.params[0] ?? '';
  const select = parseSelect(queryOption(request.query, 'select'));
  checkSelect(select, USER_NAMES, 'microsoft.graph.user');
  const user = state.resolveUser(key);
  if (!user) {
    throw notFound(
      'Request_ResourceNotFound',
      `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  return jsonResponse({
    '@odata.context': `${request.baseUrl}/$metadata#users${selectPart(select)}/$entity`,
    ...userView(user, select),
  });
}

export function listGroups(context: RouteContext): SimResponse {
  const { request, state } = context;
  const select = parseSelect(queryOption(request.query, 'select'));
  checkSelect(select, GROUP_NAMES, 'microsoft.graph.group');
  const { filter, orderby } = listQuery(request, 'Group', SEARCHABLE.Group);
  let groups = filter ? state.groups.filter((g) => filter(g)) : [...state.groups];
  groups = sortBy(groups, orderby, 'Group', (g) => g);
  return page(
    context,
    groups,
    (g) => groupView(g, select),
    `${request.baseUrl}/$metadata#groups${selectPart(select)}`,
  );
}

function requireGroup(context: RouteContext): FixtureGroup {
  const id = context.params[0] ?? '';
  const group = context.state.group(id);
  if (!group) {
    throw notFound(
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  return group;
}

export function getGroup(context: RouteContext): SimResponse {
  const { request } = context;
  const select = parseSelect(queryOption(request.query, 'select'));
  checkSelect(select, GROUP_NAMES, 'microsoft.graph.group');
  const group = requireGroup(context);
  return jsonResponse({
    '@odata.context': `${request.baseUrl}/$metadata#groups${selectPart(select)}/$entity`,
    ...groupView(group, select),
  });
}

function memberFields(member: DirectoryObject): Readonly<Record<string, unknown>> {
  return member.kind === 'user' ? member.user : member.group;
}

/**
 * `members` or `transitiveMembers`, optionally cast to users (`/microsoft.graph.user`). The cast,
 * `$search`, `$filter` and `$orderby` are advanced queries here: "This header and `$count` are
 * required when using the `$search`, `$filter`, `$orderby`, or OData cast query parameters"
 * (group-list-members.md, group-list-transitivemembers.md).
 */
export function listMembers(transitive: boolean, usersOnly: boolean) {
  const relation = transitive ? 'transitiveMembers' : 'members';
  return (context: RouteContext): SimResponse => {
    const { request, state } = context;
    const group = requireGroup(context);
    const select = parseSelect(queryOption(request.query, 'select'));
    checkSelect(
      select,
      usersOnly ? USER_NAMES : new Map([...USER_NAMES, ...GROUP_NAMES]),
      usersOnly ? 'microsoft.graph.user' : 'microsoft.graph.directoryObject',
    );
    const filterText = queryOption(request.query, 'filter');
    const searchText = queryOption(request.query, 'search');
    const orderby = queryOption(request.query, 'orderby');
    if (searchText !== undefined) requireSearchHeaders(request);
    if (usersOnly) requireAdvancedQuery(request, `The OData cast ${relation}/microsoft.graph.user`);
    if (filterText !== undefined) requireAdvancedQuery(request, `$filter on ${relation}`);
    if (orderby !== undefined) requireAdvancedQuery(request, `$orderby on ${relation}`);
    if (filterText !== undefined && !usersOnly) {
      throw badRequest(
        'Request_UnsupportedQuery',
        'Filtering members requires a type cast, such as /microsoft.graph.user.',
      );
    }
    let members = transitive ? state.transitiveMembers(group) : state.members(group);
    if (usersOnly) members = members.filter((m) => m.kind === 'user');
    if (filterText !== undefined) {
      const predicate = compileFilter(parseFilter(filterText), 'User');
      members = members.filter((m) => m.kind === 'user' && predicate(m.user));
    }
    if (searchText !== undefined) {
      const resource = usersOnly ? 'User' : 'DirectoryObject';
      const predicate = compileSearch(
        parseSearch(searchText),
        (name) => SEARCHABLE[resource].get(name.toLowerCase()),
        (name) => unsupportedFilter(name, usersOnly ? 'User' : 'Group'),
      );
      members = members.filter((m) => predicate(memberFields(m)));
    }
    members = sortBy(members, orderby, usersOnly ? 'User' : 'Group', memberFields);
    const contextUrl = usersOnly
      ? `${request.baseUrl}/$metadata#users${selectPart(select)}`
      : `${request.baseUrl}/$metadata#directoryObjects${selectPart(select)}`;
    return page(context, members, (m) => directoryObjectView(m, select), contextUrl);
  };
}

export function getOrganization(context: RouteContext): SimResponse {
  const { request, state } = context;
  const tenant = state.source.tenant;
  return jsonResponse({
    '@odata.context': `${request.baseUrl}/$metadata#organization`,
    value: [
      {
        id: tenant.id,
        displayName: tenant.displayName,
        verifiedDomains: tenant.verifiedDomains.map((name, i) => ({
          capabilities: 'Email, OfficeCommunicationsOnline',
          isDefault: i === 0,
          isInitial: false,
          name,
          type: 'Managed',
        })),
      },
    ],
  });
}
