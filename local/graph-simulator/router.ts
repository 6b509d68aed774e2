/** The Graph v1.0 routes the simulator serves, and how a request path is matched to one. */
import { calendarView, calendarViewDelta } from './calendar-routes';
import { getGroup, getOrganization, getUser, listGroups, listMembers, listUsers } from './directory-routes';
import { badRequest, GraphHttpError, notFound } from './graph-http';
import {
  getMailFolder,
  getMessage,
  listChildFolders,
  listMailFolders,
  listMessages,
  messagesDelta,
  sendMail,
} from './mail-routes';
import type { RouteHandler } from './route-context';

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: readonly string[];
  /** e.g. "GET /users/{id}/mailFolders/{id}/messages/delta", for stats. */
  readonly name: string;
  /** The first parameter is a mailbox owner (user id or userPrincipalName). */
  readonly mailbox: boolean;
  readonly handler: RouteHandler;
}

function route(method: 'GET' | 'POST', path: string, handler: RouteHandler, mailbox = false): Route {
  const pattern = path.split('/');
  const name = `${method} /${pattern.map((s) => (s.startsWith(':') ? '{id}' : s)).join('/')}`;
  return {
    method,
    pattern: pattern.map((s) => (s.startsWith(':') ? ':' : s.toLowerCase())),
    name,
    mailbox,
    handler,
  };
}

export const ROUTES: readonly Route[] = [
  route('GET', 'users', listUsers),
  route('GET', 'users/:user', getUser),
  route('GET', 'users/:user/messages', listMessages(false), true),
  route('GET', 'users/:user/messages/:message', getMessage, true),
  route('GET', 'users/:user/mailFolders', listMailFolders, true),
  route('GET', 'users/:user/mailFolders/:folder', getMailFolder, true),
  route('GET', 'users/:user/mailFolders/:folder/childFolders', listChildFolders, true),
  route('GET', 'users/:user/mailFolders/:folder/messages', listMessages(true), true),
  route('GET', 'users/:user/mailFolders/:folder/messages/delta', messagesDelta, true),
  route('GET', 'users/:user/calendarView', calendarView, true),
  route('GET', 'users/:user/calendar/calendarView', calendarView, true),
  route('GET', 'users/:user/calendarView/delta', calendarViewDelta, true),
  route('GET', 'users/:user/calendar/calendarView/delta', calendarViewDelta, true),
  route('POST', 'users/:user/sendMail', sendMail, true),
  route('GET', 'groups', listGroups),
  route('GET', 'groups/:group', getGroup),
  route('GET', 'groups/:group/members', listMembers(false, false)),
  route('GET', 'groups/:group/members/microsoft.graph.user', listMembers(false, true)),
  route('GET', 'groups/:group/transitiveMembers', listMembers(true, false)),
  route('GET', 'groups/:group/transitiveMembers/microsoft.graph.user', listMembers(true, true)),
  route('GET', 'organization', getOrganization),
];

/**
 * Path segments, decoded; key syntax `users('id')` becomes `users`, `id`, and the function forms
 * `delta()`, `microsoft.graph.delta` become `delta`.
 */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw badRequest('BadRequest', `Invalid URL segment '${raw}'.`);
    }
    const keyed = /^([A-Za-z][\w.]*)\('?([^']*)'?\)$/.exec(segment);
    if (keyed && keyed[2] !== '') {
      out.push(keyed[1] ?? '', keyed[2] ?? '');
      continue;
    }
    const lower = segment.toLowerCase();
    out.push(
      lower === 'delta()' || lower === 'microsoft.graph.delta' || lower === 'microsoft.graph.delta()'
        ? 'delta'
        : segment,
    );
  }
  return out;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: string[];
}

/** The best route for a path (most literal segments), 405 for a known path with another method, else 404. */
export function matchRoute(method: string, segments: readonly string[]): RouteMatch {
  if (segments[0]?.toLowerCase() === 'me') {
    throw badRequest('BadRequest', '/me request is only valid with delegated authentication flow.');
  }
  let best: { route: Route; params: string[]; literals: number } | null = null;
  let otherMethod = false;
  for (const candidate of ROUTES) {
    if (candidate.pattern.length !== segments.length) continue;
    const params: string[] = [];
    let literals = 0;
    let ok = true;
    candidate.pattern.forEach((part, i) => {
      const segment = segments[i] ?? '';
      if (part === ':') params.push(segment);
      else if (part === segment.toLowerCase()) literals++;
      else ok = false;
    });
    if (!ok) continue;
    if (candidate.method !== method) {
      otherMethod = true;
      continue;
    }
    if (best === null || literals > best.literals) best = { route: candidate, params, literals };
  }
  if (best) return { route: best.route, params: best.params };
  if (otherMethod) {
    throw new GraphHttpError(
      405,
      'Request_BadRequest',
      'Specified HTTP method is not allowed for the request target.',
    );
  }
  const last = segments[segments.length - 1] ?? '';
  throw notFound('ResourceNotFound', `Resource not found for the segment '${last}'.`);
}
