import type { IndexedAccount } from '../accounts/account-index';
import type { AccountCatalog, ShownResults } from './account-catalog';
import { myAccounts, staleAccounts, topAccounts, type AccountList } from './account-lists';
import { loadCustomerCard, type CustomerCardData, type HistoryLevel } from './customer-card-data';
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
  | { kind: 'customer'; card: CustomerCardData }
  | { kind: 'choose'; query: string; accounts: IndexedAccount[] }
  | { kind: 'not-found'; query: string; suggestions: IndexedAccount[] }
  | { kind: 'list'; list: AccountList; ownership: Ownership };

/** Accounts offered when a name matches several, or none. */
const CHOICES = 5;

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
): Promise<Answer> {
  let card = await loadCustomerCard(shown, accountId, level);
  if (!card) {
    const now = await catalog.shown(shown.tenantId);
    if (now && now.visible.runId !== shown.visible.runId)
      card = await loadCustomerCard(now, accountId, level);
  }
  return card ? { kind: 'customer', card } : { kind: 'not-found', query, suggestions: [] };
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
  if (intent.kind === 'account') {
    const match = (await catalog.index(shown)).find(intent.query, CHOICES);
    if (match.kind === 'several') return { kind: 'choose', query: intent.query, accounts: match.accounts };
    if (match.kind === 'none')
      return { kind: 'not-found', query: intent.query, suggestions: match.suggestions };
    return customer(catalog, shown, match.account.id, 'Month', intent.query);
  }
  const owned = await mine(catalog, shown, asker);
  const list =
    intent.kind === 'top'
      ? await topAccounts(shown, owned.ids)
      : intent.kind === 'stale'
        ? await staleAccounts(shown, owned.ids)
        : await myAccounts(shown, owned.ids);
  return { kind: 'list', list, ownership: owned.ownership };
}
