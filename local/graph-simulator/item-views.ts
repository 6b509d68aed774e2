/**
 * How messages and events leave the simulator: the `$select` guard (required, never body,
 * bodyPreview or uniqueBody), and projection to the selected properties plus `id` and `@odata.etag`.
 */
import { accessDeniedFor, badRequest, type SimRequest } from './graph-http';
import {
  CONTENT_PROPERTIES,
  EVENT_DEFAULTS,
  EVENT_NAMES,
  MESSAGE_DEFAULTS,
  MESSAGE_NAMES,
} from './graph-properties';
import { parseSelect, queryOption } from './odata-query';
import { hashString, mixBytes } from './random';
import type { EventRecord, MessageRecord } from './tenant-source';

export type ItemType = 'Message' | 'Event';

const NAMES: Record<ItemType, ReadonlyMap<string, string>> = { Message: MESSAGE_NAMES, Event: EVENT_NAMES };

/**
 * The request's `$select` for messages or events, checked: content properties (or `*`) → 403;
 * unknown properties → 400; missing → 403 when `required`, else null.
 */
export function itemSelect(request: SimRequest, type: ItemType, required: boolean): string[] | null {
  const select = parseSelect(queryOption(request.query, 'select'));
  if (select === null || select.length === 0) {
    if (!required) return null;
    throw accessDeniedFor(
      `this endpoint serves ${type === 'Message' ? 'messages' : 'events'} only with a $select that names no content property (body, bodyPreview, uniqueBody)`,
    );
  }
  const content = select.find((p) => p === '*' || CONTENT_PROPERTIES.has(p.toLowerCase()));
  if (content !== undefined) throw accessDeniedFor(`the property '${content}' is content and is not served`);
  const names = NAMES[type];
  const out: string[] = [];
  for (const name of select) {
    const canonical = names.get(name.toLowerCase());
    if (canonical === undefined) {
      throw badRequest(
        'RequestBroker--ParseUri',
        `Could not find a property named '${name}' on type 'Microsoft.OutlookServices.${type}'.`,
      );
    }
    if (!out.includes(canonical)) out.push(canonical);
  }
  return out;
}

/** A weak ETag that changes with the item's version. */
export function etag(id: string, version: number): string {
  return `W/"CQAAABYAAAA${mixBytes(hashString(id), version + 1, 12).toString('base64')}"`;
}

function pick(
  source: Readonly<Record<string, unknown>>,
  select: readonly string[],
  defaults: Readonly<Record<string, unknown>>,
  out: Record<string, unknown>,
): Record<string, unknown> {
  for (const property of select) {
    if (property === 'id') continue;
    out[property] = source[property] ?? defaults[property] ?? null;
  }
  return out;
}

export function messageView(
  record: MessageRecord,
  select: readonly string[],
  version: number,
  withType = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = withType ? { '@odata.type': '#microsoft.graph.message' } : {};
  out['@odata.etag'] = etag(record.id, version);
  out['id'] = record.id;
  return pick(record.toGraph(), select, MESSAGE_DEFAULTS, out);
}

export function eventView(
  record: EventRecord,
  select: readonly string[],
  version: number,
  withType = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = withType ? { '@odata.type': '#microsoft.graph.event' } : {};
  out['@odata.etag'] = etag(record.id, version);
  out['id'] = record.id;
  return pick(record.toGraph(), select, EVENT_DEFAULTS, out);
}

export function removedView(type: ItemType, id: string): Record<string, unknown> {
  return {
    '@odata.type': type === 'Message' ? '#microsoft.graph.message' : '#microsoft.graph.event',
    id,
    '@removed': { reason: 'deleted' },
  };
}
