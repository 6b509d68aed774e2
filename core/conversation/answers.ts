import { rankMatches, type IndexedAccount } from '../accounts/account-index';
import {
  atRiskAccounts,
  myAccounts,
  staleAccounts,
  topAccounts,
  unansweredAccounts,
  type AccountList,
} from '../results/account-lists';
import type { SignalThresholds } from '../engine/signals';
import type { CustomerCardData } from '../results/customer-card';
import { runSignalThresholds } from '../results/signal-labels';
import { loadCustomerCard, type ShownResults } from '../results/shown-results';
import type { AccountCatalog } from './account-catalog';
import type { HistoryLevel } from './history-series';
import type { Intent } from './message-intent';

/** Who asks: the tenant, the user's Entra object id and name, and (looked up when needed) their email. */
export interface Asker {
  tenantId: string;
  userId: string;
  name: string;
  /** Lower-case; undefined when nothing tells it. */
  email(): Promise<string | undefined>;
}

/** Whether "mine" could be worked out for the asker. */
export type Ownership = 'known' | 'unknown-user';

export type Answer =
  | { kind: 'help' }
  | { kind: 'thanks' }
  | { kind: 'empty' }
  | { kind: 'too-long'; length: number }
  | { kind: 'unknown'; text: string }
  | { kind: 'no-results' }
  /** `closestTo`: what the seller typed, when the account is only the closest to it (a typo). */
  | { kind: 'customer'; card: CustomerCardData; thresholds: SignalThresholds; closestTo?: string }
  | { kind: 'choose'; choices: Choices }
  | { kind: 'not-found'; query: string; suggestions: IndexedAccount[] }
  | { kind: 'list'; list: AccountList; ownership: Ownership };

/** An account offered in a chooser, with its engagement score when known. */
export interface ChoiceAccount extends IndexedAccount {
  score?: number;
}

/** One page of the accounts that match what the seller typed: the closest, then the higher scored, first. */
export interface Choices {
  query: string;
  /** This page's accounts. */
  accounts: ChoiceAccount[];
  /** Accounts that match in all. */
  total: number;
  /** How many closer matches the earlier pages show. */
  offset: number;
}

/** Accounts a chooser shows at a time, and names offered when none matches. */
export const CHOICES = 5;
/** Pages a chooser can be turned to ("Show more"): past them, the seller types more of the name. */
export const MAX_CHOICE_PAGES = 200;

async function mine(catalog: AccountCatalog, shown: ShownResults, asker: Asker) {
  const email = await asker.email();
  if (!email) return { ids: [], ownership: 'unknown-user' as const };
  return { ids: await catalog.accountsOf(shown, email), ownership: 'known' as const };
}

/** The card of an account, read again from the newer run if one was published while it was read. */
async function customer(
  catalog: AccountCatalog,
  shown: ShownResults,
  accountId: string,
  level: HistoryLevel,
  query: string,
  closestTo?: string,
): Promise<Answer> {
  let from = shown;
  let card = await loadCustomerCard(shown, accountId, level);
  if (!card) {
    const now = await catalog.shown(shown.tenantId);
    if (now && now.visible.runId !== shown.visible.runId) {
      from = now;
      card = await loadCustomerCard(now, accountId, level);
    }
  }
  if (!card) return { kind: 'not-found', query, suggestions: [] };
  const thresholds = runSignalThresholds(from.visible, from.config);
  return closestTo
    ? { kind: 'customer', card, thresholds, closestTo }
    : { kind: 'customer', card, thresholds };
}

/** The answer to an account name: its card, a page of the accounts it matches, or the closest names. */
async function answerName(
  catalog: AccountCatalog,
  shown: ShownResults,
  query: string,
  page: number,
): Promise<Answer> {
  const match = (await catalog.index(shown)).find(query, CHOICES);
  if (match.kind === 'none') return { kind: 'not-found', query, suggestions: match.suggestions };
  if (match.kind === 'exact')
    return customer(catalog, shown, match.account.id, 'Month', query, match.corrected ? query : undefined);
  const scores = await catalog.scores(shown);
  const ranked = rankMatches(match.accounts, (id) => scores.get(id));
  const pages = Math.min(Math.ceil(ranked.length / CHOICES), MAX_CHOICE_PAGES);
  const offset = (Math.min(Math.max(page, 1), pages) - 1) * CHOICES;
  return {
    kind: 'choose',
    choices: {
      query,
      accounts: ranked.slice(offset, offset + CHOICES).map(({ id, name }) => {
        const score = scores.get(id);
        return score === undefined ? { id, name } : { id, name, score };
      }),
      total: ranked.length,
      offset,
    },
  };
}

/** The customer card of one account (by id), or not-found. */
export async function answerCustomer(
  catalog: AccountCatalog,
  tenantId: string,
  accountId: string,
  level: HistoryLevel,
): Promise<Answer> {
  const shown = await catalog.shown(tenantId);
  if (!shown) return { kind: 'no-results' };
  return customer(catalog, shown, accountId, level, accountId);
}

/** A page of a chooser ("Show more"), or what the name answers now if a newer run changed that. */
export async function answerChoices(
  catalog: AccountCatalog,
  tenantId: string,
  query: string,
  page: number,
): Promise<Answer> {
  const shown = await catalog.shown(tenantId);
  if (!shown) return { kind: 'no-results' };
  return answerName(catalog, shown, query, page);
}

const LISTS: Record<
  AccountList['kind'],
  (shown: ShownResults, mine: readonly string[]) => Promise<AccountList>
> = {
  top: topAccounts,
  stale: staleAccounts,
  'at-risk': atRiskAccounts,
  unanswered: unansweredAccounts,
  mine: myAccounts,
};

/** Answers a message's intent from the tenant's shown results. */
export async function answerIntent(catalog: AccountCatalog, intent: Intent, asker: Asker): Promise<Answer> {
  switch (intent.kind) {
    case 'help':
    case 'thanks':
    case 'empty':
      return { kind: intent.kind };
    case 'too-long':
      return { kind: 'too-long', length: intent.length };
    case 'unknown':
      return { kind: 'unknown', text: intent.text };
    default:
      break;
  }
  const shown = await catalog.shown(asker.tenantId);
  if (!shown) return { kind: 'no-results' };
  if (intent.kind === 'account') return answerName(catalog, shown, intent.query, 1);
  const owned = await mine(catalog, shown, asker);
  return { kind: 'list', list: await LISTS[intent.kind](shown, owned.ids), ownership: owned.ownership };
}
