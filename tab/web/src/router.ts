import { useSyncExternalStore } from 'react';

export const SCREENS = [
  'overview',
  'setup',
  'consent',
  'runs',
  'mailboxes',
  'results',
  'customers',
  'segments',
  'alerts',
  'settings',
] as const;

export type Screen = (typeof SCREENS)[number];

export interface Route {
  screen: Screen;
  /** The account of `#/customers/:id`. */
  accountId?: string;
  /** The hash's query (`#/consent?outcome=granted`). */
  query: URLSearchParams;
}

function isScreen(value: string): value is Screen {
  return (SCREENS as readonly string[]).includes(value);
}

/** A link's text decoded; one that does not decode stays as written, and is then an account not found. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `#/customers/AC-00001?x=1` → the customers screen for AC-00001. Anything unknown is the overview. */
export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [first = '', ...rest] = path.split('/');
  const query = new URLSearchParams(search);
  if (!isScreen(first)) return { screen: 'overview', query };
  if (first === 'customers' && rest.length && rest[0]) {
    return { screen: first, accountId: decoded(rest.join('/')), query };
  }
  return { screen: first, query };
}

export function hrefOf(screen: Screen, accountId?: string): string {
  return accountId ? `#/${screen}/${encodeURIComponent(accountId)}` : `#/${screen}`;
}

export function navigate(screen: Screen, accountId?: string): void {
  window.location.hash = hrefOf(screen, accountId);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

let cached: { hash: string; route: Route } | undefined;

function snapshot(): Route {
  const hash = window.location.hash;
  if (cached?.hash !== hash) cached = { hash, route: parseHash(hash) };
  return cached.route;
}

/** The current hash route, re-rendering on every hash change. */
export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}
