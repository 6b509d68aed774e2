/**
 * Outlook mail: messages of a mailbox or of any folder of its tree (`$select`, `$filter` on
 * sent/received time, `$orderby`, `$top` 1..1000 with 10 by default, `$skip` paging), the folder tree
 * (`/mailFolders` lists the top level, `/childFolders` a folder's children, both paged), per-folder
 * delta queries (a filtered baseline capped at 5,000 messages), sendMail.
 */
import type { MessageDeltaState } from './delta-tokens';
import type { GraphUser, MailFolder } from './fixture-schema';
import { badRequest, GraphHttpError, jsonResponse, notFound, type SimResponse } from './graph-http';
import { itemSelect, messageView, removedView } from './item-views';
import {
  compareValues,
  filterProperties,
  parseFilter,
  parseOrderBy,
  parsePrefer,
  parseSelect,
  parseSkip,
  parseTop,
  queryOption,
  queryParam,
  type FilterNode,
  type OrderBy,
} from './odata-query';
import { base64Digest, streamKey } from './random';
import { link, nextQuery, type RouteContext } from './route-context';
import { newItemId } from './tenant-state';
import type { MessageRecord } from './tenant-source';

export const PAGE_DEFAULT = 10;
export const PAGE_MAX = 1000;

function mailboxOwner(context: RouteContext): GraphUser {
  if (context.user === null) throw new Error('mailbox route without a mailbox owner');
  return context.user;
}

function invalidFilter(): GraphHttpError {
  return badRequest('ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
}

const TIME_PROPERTIES: Record<string, 'sent' | 'received'> = {
  sentdatetime: 'sent',
  receiveddatetime: 'received',
};

function compileMessageFilter(node: FilterNode): (record: MessageRecord) => boolean {
  switch (node.type) {
    case 'and': {
      const l = compileMessageFilter(node.left);
      const r = compileMessageFilter(node.right);
      return (m) => l(m) && r(m);
    }
    case 'or': {
      const l = compileMessageFilter(node.left);
      const r = compileMessageFilter(node.right);
      return (m) => l(m) || r(m);
    }
    case 'not': {
      const inner = compileMessageFilter(node.operand);
      return (m) => !inner(m);
    }
    case 'compare': {
      const property = node.property.toLowerCase();
      const field = TIME_PROPERTIES[property];
      const { op, value } = node;
      if (field !== undefined && value.kind === 'datetime') {
        return (m) => {
          const actual = m[field];
          return actual !== null && compareValues(actual, op, value.value);
        };
      }
      if (property === 'isdraft' && value.kind === 'boolean' && (op === 'eq' || op === 'ne')) {
        return op === 'eq' ? (m) => m.isDraft === value.value : (m) => m.isDraft !== value.value;
      }
      throw invalidFilter();
    }
    default:
      throw invalidFilter();
  }
}

function messageOrder(order: readonly OrderBy[]): (a: MessageRecord, b: MessageRecord) => number {
  const keys = order.map((o) => {
    const field = TIME_PROPERTIES[o.property.toLowerCase()];
    if (field === undefined) {
      throw badRequest(
        'ErrorInvalidProperty',
        `The property '${o.property}' cannot be used in $orderby here.`,
      );
    }
    return { field, sign: o.descending ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, sign } of keys) {
      const d = ((a[field] ?? 0) - (b[field] ?? 0)) * sign;
      if (d !== 0) return d;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** Outlook's rule: $orderby properties must lead the $filter, in the same order. */
function checkFilterOrder(filter: FilterNode | null, order: readonly OrderBy[]): void {
  if (filter === null || order.length === 0) return;
  const inFilter = filterProperties(filter).map((p) => p.toLowerCase());
  const distinct = inFilter.filter((p, i) => inFilter.indexOf(p) === i);
  order.forEach((o, i) => {
    if (distinct[i] !== o.property.toLowerCase()) {
      throw badRequest(
        'InefficientFilter',
        'The restriction or sort order is too complex for this operation.',
      );
    }
  });
}

function requireFolder(context: RouteContext, user: GraphUser, key: string): MailFolder {
  const folder = context.state.resolveFolder(user.id, key);
  if (!folder) throw notFound('ErrorItemNotFound', 'The specified object was not found in the store.');
  return folder;
}

function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}

/** GET /users/{id}/messages and /users/{id}/mailFolders/{folder}/messages. */
export function listMessages(inFolder: boolean) {
  return (context: RouteContext): SimResponse => {
    const { request, state } = context;
    const user = mailboxOwner(context);
    const folder = inFolder ? requireFolder(context, user, context.params[1] ?? '') : null;
    const select = itemSelect(request, 'Message', true) ?? [];
    const top =
      parseTop(
        queryOption(request.query, 'top'),
        PAGE_MAX,
        'ErrorInvalidArgument',
        (v) => `The value '${v}' of the query option $top is not between 1 and ${PAGE_MAX}.`,
      ) ?? PAGE_DEFAULT;
    const skip = parseSkip(queryOption(request.query, 'skip'));
    const filterText = queryOption(request.query, 'filter');
    const filter = filterText === undefined ? null : parseFilter(filterText);
    const predicate = filter === null ? null : compileMessageFilter(filter);
    const order = parseOrderBy(queryOption(request.query, 'orderby'));
    checkFilterOrder(filter, order);
    if (queryOption(request.query, 'search') !== undefined) {
      throw badRequest('ErrorInvalidUrlQuery', 'The query option $search is not supported by this service.');
    }

    let records = state.messages(user.id);
    if (folder !== null) records = records.filter((m) => m.parentFolderId === folder.id);
    if (predicate !== null) records = records.filter(predicate);
    const sorted = [...records].sort(
      messageOrder(order.length > 0 ? order : [{ property: 'receivedDateTime', descending: true }]),
    );
    const path = inFolder
      ? `/users/${encodeSegment(user.id)}/mailFolders/${encodeSegment(folder?.id ?? '')}/messages`
      : `/users/${encodeSegment(user.id)}/messages`;
    return pageResponse(
      context,
      `users('${user.id}')${inFolder ? `/mailFolders('${folder?.id ?? ''}')` : ''}/messages(${select.join(',')})`,
      path,
      sorted,
      { skip, top },
      (m) => messageView(m, select, state.messageVersion(user.id, m.id)),
    );
  };
}

/** One `$skip` page of a listed collection: `@odata.count` when asked, a nextLink while more remain. */
function pageResponse<T>(
  context: RouteContext,
  contextUrl: string,
  path: string,
  items: readonly T[],
  { skip, top }: { skip: number; top: number },
  view: (item: T) => Record<string, unknown>,
): SimResponse {
  const { request } = context;
  const body: Record<string, unknown> = { '@odata.context': `${request.baseUrl}/$metadata#${contextUrl}` };
  if (queryOption(request.query, 'count')?.toLowerCase() === 'true') body['@odata.count'] = items.length;
  body['value'] = items.slice(skip, skip + top).map(view);
  if (skip + top < items.length) {
    body['@odata.nextLink'] = link(
      request,
      path,
      nextQuery(request.query, { $skip: String(skip + top), skip: undefined }),
    );
  }
  return jsonResponse(body);
}

/** GET /users/{id}/messages/{messageId}. */
export function getMessage(context: RouteContext): SimResponse {
  const { request, state } = context;
  const user = mailboxOwner(context);
  const select = itemSelect(request, 'Message', true) ?? [];
  const id = context.params[1] ?? '';
  const record = state.findMessage(user.id, id);
  if (!record) throw notFound('ErrorItemNotFound', 'The specified object was not found in the store.');
  return jsonResponse({
    '@odata.context': `${request.baseUrl}/$metadata#users('${user.id}')/messages(${select.join(',')})/$entity`,
    ...messageView(record, select, state.messageVersion(user.id, id)),
  });
}

/** Pages of `/mailFolders` and `/childFolders`: "the default page size (10 items)" (user-list-mailfolders.md). */
export const FOLDER_PAGE_DEFAULT = 10;
/**
 * The largest `$top` on `/mailFolders` and `/childFolders`. Microsoft does not document one (only
 * "the maximum depends on the corresponding API", query-parameters.md); 1..1000 as for messages.
 */
export const FOLDER_PAGE_MAX = 1000;

/** mailFolder properties of Graph v1.0 (resources/mailfolder.md) the simulator serves. */
const FOLDER_PROPERTIES = [
  'id',
  'displayName',
  'parentFolderId',
  'childFolderCount',
  'unreadItemCount',
  'totalItemCount',
  'isHidden',
] as const;
const FOLDER_NAMES = new Map<string, string>(FOLDER_PROPERTIES.map((p) => [p.toLowerCase(), p]));

/** The request's `$select` on folders (canonical names), null for every property; unknown → 400. */
function folderSelect(context: RouteContext): string[] | null {
  const select = parseSelect(queryOption(context.request.query, 'select'));
  if (select === null || select.length === 0 || select.includes('*')) return null;
  const out: string[] = [];
  for (const name of select) {
    const canonical = FOLDER_NAMES.get(name.toLowerCase());
    if (canonical === undefined) {
      throw badRequest(
        'RequestBroker--ParseUri',
        `Could not find a property named '${name}' on type 'Microsoft.OutlookServices.MailFolder'.`,
      );
    }
    if (!out.includes(canonical)) out.push(canonical);
  }
  return out;
}

/** Query options the simulator does not implement on folders: refused rather than ignored. */
function refuseFolderOptions(context: RouteContext): void {
  for (const option of ['filter', 'orderby', 'search', 'expand']) {
    if (queryOption(context.request.query, option) !== undefined) {
      throw badRequest(
        'ErrorInvalidUrlQuery',
        `The simulator does not support the query option $${option} on mail folders.`,
      );
    }
  }
}

/** Builds folder views for one request: child counts and item counts are computed once. */
function folderViewer(
  context: RouteContext,
  user: GraphUser,
  select: readonly string[] | null,
): (folder: MailFolder) => Record<string, unknown> {
  const { state } = context;
  const wants = (property: string): boolean => select === null || select.includes(property);
  const children = new Map<string, number>();
  if (wants('childFolderCount')) {
    const root = state.rootFolder(user.id);
    children.set(root.id, 0);
    for (const folder of state.mailFolders(user.id)) {
      const parent = state.parentFolderId(user.id, folder);
      children.set(parent, (children.get(parent) ?? 0) + 1);
    }
  }
  const counts = new Map<string, { total: number; unread: number }>();
  if (wants('totalItemCount') || wants('unreadItemCount')) {
    const unread = wants('unreadItemCount');
    for (const m of state.messages(user.id)) {
      let entry = counts.get(m.parentFolderId);
      if (entry === undefined) {
        entry = { total: 0, unread: 0 };
        counts.set(m.parentFolderId, entry);
      }
      entry.total++;
      if (unread && m.toGraph()['isRead'] === false) entry.unread++;
    }
  }
  // The root's own parent is the mailbox's (non-IPM) root, which Graph does not list either.
  const rootParent = `AAMkAD${base64Digest(streamKey(['folder', user.id, 'non-ipm-root']), 30)}AAA=`;
  const rootId = state.rootFolder(user.id).id;
  return (folder) => {
    const isRoot = folder.id === rootId;
    const full: Record<string, unknown> = {
      id: folder.id,
      displayName: folder.displayName,
      parentFolderId: isRoot ? rootParent : state.parentFolderId(user.id, folder),
      childFolderCount: children.get(folder.id) ?? 0,
      unreadItemCount: counts.get(folder.id)?.unread ?? 0,
      totalItemCount: counts.get(folder.id)?.total ?? 0,
      isHidden: folder.isHidden === true,
    };
    if (select === null) return full;
    const out: Record<string, unknown> = { id: folder.id };
    for (const property of select) out[property] = full[property];
    return out;
  };
}

/**
 * One page of folders: hidden ones only with `includeHiddenFolders=true`; `$top` (default 10),
 * `$skip` in the nextLink, `$select`, `$count`.
 */
function folderPage(
  context: RouteContext,
  user: GraphUser,
  folders: readonly MailFolder[],
  path: string,
  contextUrl: string,
): SimResponse {
  const { request } = context;
  refuseFolderOptions(context);
  const select = folderSelect(context);
  const top =
    parseTop(
      queryOption(request.query, 'top'),
      FOLDER_PAGE_MAX,
      'ErrorInvalidArgument',
      (v) => `The value '${v}' of the query option $top is not between 1 and ${FOLDER_PAGE_MAX}.`,
    ) ?? FOLDER_PAGE_DEFAULT;
  const skip = parseSkip(queryOption(request.query, 'skip'));
  const includeHidden = queryParam(request.query, 'includeHiddenFolders')?.toLowerCase() === 'true';
  const listed = includeHidden ? folders : folders.filter((f) => f.isHidden !== true);
  return pageResponse(
    context,
    `${contextUrl}${select === null ? '' : `(${select.join(',')})`}`,
    path,
    listed,
    { skip, top },
    folderViewer(context, user, select),
  );
}

/** GET /users/{id}/mailFolders: the folders directly under the root (user-list-mailfolders.md). */
export function listMailFolders(context: RouteContext): SimResponse {
  const user = mailboxOwner(context);
  const root = context.state.rootFolder(user.id);
  return folderPage(
    context,
    user,
    context.state.childFolders(user.id, root.id),
    `/users/${encodeSegment(user.id)}/mailFolders`,
    `users('${user.id}')/mailFolders`,
  );
}

/** GET /users/{id}/mailFolders/{id}/childFolders (mailfolder-list-childfolders.md). */
export function listChildFolders(context: RouteContext): SimResponse {
  const user = mailboxOwner(context);
  const folder = requireFolder(context, user, context.params[1] ?? '');
  return folderPage(
    context,
    user,
    context.state.childFolders(user.id, folder.id),
    `/users/${encodeSegment(user.id)}/mailFolders/${encodeSegment(folder.id)}/childFolders`,
    `users('${user.id}')/mailFolders('${folder.id}')/childFolders`,
  );
}

/** GET /users/{id}/mailFolders/{id or well-known name}, `msgfolderroot` included. */
export function getMailFolder(context: RouteContext): SimResponse {
  const { request } = context;
  const user = mailboxOwner(context);
  const folder = requireFolder(context, user, context.params[1] ?? '');
  refuseFolderOptions(context);
  const select = folderSelect(context);
  return jsonResponse({
    '@odata.context': `${request.baseUrl}/$metadata#users('${user.id}')/mailFolders${select === null ? '' : `(${select.join(',')})`}/$entity`,
    ...folderViewer(context, user, select)(folder),
  });
}

/** Page size of a delta request: `Prefer: odata.maxpagesize`, else `$top`, else 10 (at most 1000). */
export function deltaPageSize(context: RouteContext): { size: number; applied: string | null } {
  const prefer = parsePrefer(context.request.headers['prefer']);
  const max = prefer.get('odata.maxpagesize');
  if (max !== undefined && /^\d+$/.test(max) && Number(max) > 0) {
    const size = Math.min(Number(max), PAGE_MAX);
    return { size, applied: `odata.maxpagesize=${size}` };
  }
  const top = queryOption(context.request.query, 'top');
  if (top !== undefined && /^\d+$/.test(top) && Number(top) > 0)
    return { size: Math.min(Number(top), PAGE_MAX), applied: null };
  return { size: PAGE_DEFAULT, applied: null };
}

function initialMessageDelta(context: RouteContext, user: GraphUser, folder: MailFolder): MessageDeltaState {
  const { request, state, tokens } = context;
  const select = itemSelect(request, 'Message', true);
  const filterText = queryOption(request.query, 'filter');
  let receivedAfter: MessageDeltaState['receivedAfter'] = null;
  if (filterText !== undefined) {
    const node = parseFilter(filterText);
    if (
      node.type !== 'compare' ||
      node.property.toLowerCase() !== 'receiveddatetime' ||
      (node.op !== 'ge' && node.op !== 'gt') ||
      node.value.kind !== 'datetime'
    ) {
      throw badRequest(
        'ErrorInvalidUrlQueryFilter',
        'Delta queries on messages support only $filter=receivedDateTime ge|gt {value}.',
      );
    }
    receivedAfter = { value: node.value.value, inclusive: node.op === 'ge' };
  }
  const order = parseOrderBy(queryOption(request.query, 'orderby'));
  const descending =
    order.length === 1 && order[0]?.property.toLowerCase() === 'receiveddatetime' && order[0].descending;
  if (order.length > 0 && !descending) {
    throw badRequest(
      'ErrorInvalidUrlQuery',
      'Delta queries on messages support only $orderby=receivedDateTime desc.',
    );
  }
  const changeType = queryParam(request.query, 'changeType')?.toLowerCase() ?? null;
  if (
    changeType !== null &&
    changeType !== 'created' &&
    changeType !== 'updated' &&
    changeType !== 'deleted'
  ) {
    throw badRequest('ErrorInvalidUrlQuery', `Unknown changeType '${changeType}'.`);
  }
  return {
    kind: 'messages',
    user: user.id,
    folder: folder.id,
    select,
    receivedAfter,
    descending,
    changeType,
    since: null,
    round: state.version,
    offset: 0,
    epoch: tokens.currentEpoch,
    issued: Date.now(),
  };
}

/**
 * "Applying `$filter` in a delta query returns only up to 5,000 messages" (delta-query-messages.md).
 * What Graph does at the cap is not documented; the simulator keeps the 5,000 most recently received
 * and ends the round with an `@odata.deltaLink` as if it were complete, saying nothing.
 */
export const FILTERED_DELTA_CAP = 5000;

/** The `cap` most recently received of `records`, in their order. */
function mostRecent(records: readonly MessageRecord[], cap: number): readonly MessageRecord[] {
  if (records.length <= cap) return records;
  const kept = new Set(
    [...records]
      .sort((a, b) => (b.received ?? 0) - (a.received ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, cap),
  );
  return records.filter((m) => kept.has(m));
}

/** GET /users/{id}/mailFolders/{folder}/messages/delta. */
export function messagesDelta(context: RouteContext): SimResponse {
  const { request, state, tokens } = context;
  const user = mailboxOwner(context);
  const folder = requireFolder(context, user, context.params[1] ?? '');
  const token = queryOption(request.query, 'skiptoken') ?? queryOption(request.query, 'deltatoken');
  let delta: MessageDeltaState;
  if (token === undefined) {
    delta = initialMessageDelta(context, user, folder);
  } else {
    const decoded = tokens.decode(token);
    if (decoded.kind !== 'messages' || decoded.user !== user.id || decoded.folder !== folder.id) {
      throw new GraphHttpError(
        410,
        'SyncStateNotFound',
        'The sync state generation is not found. The delta token is not valid for this resource.',
      );
    }
    delta =
      queryOption(request.query, 'deltatoken') !== undefined && decoded.offset === 0
        ? { ...decoded, round: state.version }
        : decoded;
  }
  const { size, applied } = deltaPageSize(context);
  const select = delta.select ?? [];
  const inWindow = (m: MessageRecord): boolean =>
    delta.receivedAfter === null ||
    (m.received !== null &&
      (delta.receivedAfter.inclusive
        ? m.received >= delta.receivedAfter.value
        : m.received > delta.receivedAfter.value));

  let entries: (() => Record<string, unknown>)[];
  if (delta.since === null) {
    let records: readonly MessageRecord[] = state
      .messages(user.id)
      .filter((m) => m.parentFolderId === folder.id && inWindow(m));
    if (delta.receivedAfter !== null) records = mostRecent(records, FILTERED_DELTA_CAP);
    if (delta.descending) records = [...records].sort((a, b) => (b.received ?? 0) - (a.received ?? 0));
    entries = records.map((m) => () => messageView(m, select, state.messageVersion(user.id, m.id), true));
  } else {
    const since = delta.since;
    const changes = [...state.messageChanges(user.id)]
      .filter((c) => c.version > since && c.version <= delta.round)
      .sort((a, b) => a.version - b.version);
    entries = [];
    for (const change of changes) {
      const record = change.record;
      if (record !== null && record.parentFolderId === folder.id) {
        if (!inWindow(record)) continue;
        if (delta.changeType === 'deleted' || (delta.changeType === 'created' && !change.created)) continue;
        if (delta.changeType === 'updated' && change.created) continue;
        entries.push(() => messageView(record, select, change.version, true));
      } else if (change.folders.has(folder.id)) {
        if (delta.changeType !== null && delta.changeType !== 'deleted') continue;
        entries.push(() => removedView('Message', change.id));
      }
    }
  }
  const slice = entries.slice(delta.offset, delta.offset + size);
  const more = delta.offset + size < entries.length;
  const next: MessageDeltaState = more
    ? { ...delta, offset: delta.offset + size, issued: Date.now() }
    : { ...delta, since: delta.round, offset: 0, issued: Date.now() };
  const path = `/users/${encodeSegment(user.id)}/mailFolders/${encodeSegment(folder.id)}/messages/delta`;
  const body: Record<string, unknown> = {
    '@odata.context': `${request.baseUrl}/$metadata#Collection(message)`,
    value: slice.map((entry) => entry()),
  };
  const encoded = tokens.encode(next);
  body[more ? '@odata.nextLink' : '@odata.deltaLink'] = link(
    request,
    path,
    new URLSearchParams(more ? { $skiptoken: encoded } : { $deltatoken: encoded }),
  );
  return jsonResponse(body, 200, applied ? { 'Preference-Applied': applied } : {});
}

interface PostedRecipient {
  emailAddress: { address: string; name?: string };
}

function recipientsOf(value: unknown): PostedRecipient[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (r): r is PostedRecipient =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as PostedRecipient).emailAddress === 'object' &&
      typeof (r as PostedRecipient).emailAddress.address === 'string',
  );
}

/** POST /users/{id}/sendMail: recorded for tests; a copy goes to Sent Items and internal inboxes. */
export function sendMail(context: RouteContext): SimResponse {
  const { request, state } = context;
  const user = mailboxOwner(context);
  const body = request.body as { message?: unknown; saveToSentItems?: unknown } | undefined;
  if (
    typeof body !== 'object' ||
    body === null ||
    typeof body.message !== 'object' ||
    body.message === null
  ) {
    throw badRequest('ErrorInvalidRequest', 'The request body must contain a message object.');
  }
  const message = body.message as Record<string, unknown>;
  const to = recipientsOf(message['toRecipients']);
  const cc = recipientsOf(message['ccRecipients']);
  const bcc = recipientsOf(message['bccRecipients']);
  if (to.length + cc.length + bcc.length === 0) {
    throw badRequest('ErrorInvalidRecipients', 'At least one recipient is required, but none were found.');
  }
  const saveToSentItems = body.saveToSentItems !== false;
  context.sentMail.push({ userId: user.id, message, saveToSentItems, at: new Date() });

  const now = `${new Date().toISOString().slice(0, 19)}Z`;
  const internetMessageId = `<${newItemId().slice(6, 30)}@${user.userPrincipalName.split('@')[1] ?? 'localhost'}>`;
  const conversationId = `AAQkAD${newItemId().slice(6, 40)}=`;
  const from = { emailAddress: { name: user.displayName, address: user.mail ?? user.userPrincipalName } };
  const subject = typeof message['subject'] === 'string' ? message['subject'] : '';
  const content = message['body'] as { contentType?: string; content?: string } | undefined;
  const copy = {
    internetMessageId,
    conversationId,
    isDraft: false,
    sentDateTime: now,
    receivedDateTime: now,
    from,
    sender: from,
    toRecipients: to,
    ccRecipients: cc,
    subject,
    body: {
      contentType: content?.contentType === 'html' ? ('html' as const) : ('text' as const),
      content: content?.content ?? '',
    },
    bodyPreview: (content?.content ?? '').slice(0, 255),
  };
  if (saveToSentItems)
    state.addMessage(user.id, { ...copy, bccRecipients: bcc, parentFolderId: 'sentitems' });
  const delivered = new Set<string>();
  for (const recipient of [...to, ...cc, ...bcc]) {
    const target = state.resolveUser(recipient.emailAddress.address);
    if (!target || delivered.has(target.id)) continue;
    delivered.add(target.id);
    state.addMessage(target.id, { ...copy, bccRecipients: [], parentFolderId: 'inbox' });
  }
  return { status: 202, headers: {} };
}
