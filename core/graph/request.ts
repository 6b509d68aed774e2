import type { GraphConnection } from './client.ts';
import { toGraphIngestionError } from './errors.ts';
import { MailboxScope } from './middleware.ts';

/** One request: which mailbox it belongs to (for the per-mailbox limit), extra headers, and what it does. */
export interface GraphRequestOptions {
  mailboxId?: string;
  headers?: Record<string, string>;
  /** Names the operation in error messages, e.g. "listing inbox messages of mailbox …". */
  what: string;
}

/**
 * The header of Microsoft Graph's advanced queries on directory objects, sent with `$count=true`:
 * `$search`, OData casts such as `transitiveMembers/microsoft.graph.user`, and `$count` itself are
 * refused or silently ignored without both (aad-advanced-queries.md, group-list-transitivemembers.md).
 * Send it on every page of such a query: a nextLink carries `$count=true` but not the header.
 */
export const ADVANCED_QUERY_HEADERS: Readonly<Record<string, string>> = { ConsistencyLevel: 'eventual' };

/** GET a Graph URL (relative to the version root, or an absolute link Graph returned) as JSON. */
export async function graphGet<T>(
  graph: GraphConnection,
  url: string,
  options: GraphRequestOptions,
): Promise<T> {
  let request = graph.client.api(url);
  if (options.mailboxId !== undefined)
    request = request.middlewareOptions([new MailboxScope(options.mailboxId)]);
  if (options.headers) request = request.headers(options.headers);
  try {
    return (await request.get()) as T;
  } catch (error) {
    throw toGraphIngestionError(error, options.what);
  }
}

export async function graphPost<T>(
  graph: GraphConnection,
  url: string,
  body: unknown,
  options: GraphRequestOptions,
): Promise<T> {
  let request = graph.client.api(url);
  if (options.headers) request = request.headers(options.headers);
  try {
    return (await request.post(body)) as T;
  } catch (error) {
    throw toGraphIngestionError(error, options.what);
  }
}

/** One page of a Graph collection. */
export interface GraphPage<T> {
  value: T[];
}

interface RawPage {
  value?: unknown;
  '@odata.nextLink'?: unknown;
}

/**
 * The pages of a Graph collection, following `@odata.nextLink` until there is none. One page is held
 * at a time, so memory stays flat however long the collection is.
 */
export async function* graphPages<T>(
  graph: GraphConnection,
  firstUrl: string,
  options: GraphRequestOptions,
): AsyncGenerator<GraphPage<T>, void, undefined> {
  let url: string | undefined = firstUrl;
  while (url !== undefined) {
    const raw: RawPage = await graphGet<RawPage>(graph, url, options);
    if (!Array.isArray(raw.value)) {
      throw toGraphIngestionError(new Error('the response has no "value" array'), options.what);
    }
    const next = raw['@odata.nextLink'];
    url = typeof next === 'string' ? next : undefined;
    yield { value: raw.value as T[] };
  }
}

/** `$filter=<property> eq '<value>'`, quoted for OData and encoded for a query string. */
export function filterEquals(property: string, value: string): string {
  // encodeURIComponent throws URIError on a lone surrogate; the API refuses such text, and here it becomes U+FFFD.
  const text = `${property} eq '${value.replaceAll("'", "''")}'`.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  return `$filter=${encodeURIComponent(text)}`;
}
