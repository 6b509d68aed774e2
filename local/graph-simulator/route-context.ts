/** What a route handler gets: the request, the tenant, and the path parameters of its route. */
import type { DeltaTokens } from './delta-tokens';
import type { GraphUser } from './fixture-schema';
import type { SimRequest, SimResponse } from './graph-http';
import type { TenantState } from './tenant-state';

/** A message the app sent through `POST /users/{id}/sendMail`. */
export interface SentMail {
  /** Object id of the sending user. */
  userId: string;
  /** The `message` object as posted. */
  message: Record<string, unknown>;
  saveToSentItems: boolean;
  at: Date;
}

export interface RouteContext {
  readonly request: SimRequest;
  readonly state: TenantState;
  readonly tokens: DeltaTokens;
  readonly sentMail: SentMail[];
  /** Decoded path parameters, in order. */
  readonly params: readonly string[];
  /** The mailbox owner, for routes below /users/{id} that read a mailbox. */
  readonly user: GraphUser | null;
}

export type RouteHandler = (context: RouteContext) => SimResponse | Promise<SimResponse>;

/** Absolute link to `path` (below /v1.0) with the given query. */
export function link(request: SimRequest, path: string, query: URLSearchParams): string {
  const q = query.toString();
  return `${request.baseUrl}${path}${q ? `?${q}` : ''}`;
}

/** The request's query with `replace` applied (undefined values removed), for next-page links. */
export function nextQuery(
  query: URLSearchParams,
  replace: Record<string, string | undefined>,
): URLSearchParams {
  const out = new URLSearchParams();
  const drop = new Set(Object.keys(replace).map((k) => k.toLowerCase()));
  for (const [key, value] of query) if (!drop.has(key.toLowerCase())) out.append(key, value);
  for (const [key, value] of Object.entries(replace)) if (value !== undefined) out.append(key, value);
  return out;
}
