import type { IndexedAccount } from '../../core/accounts/account-index';
import { adaptiveCard, execute, plain, text, type AdaptiveCard, type Element } from './adaptive';

/** One button per line: account names are too long to sit side by side. */
const showCard = (account: IndexedAccount): Element => ({
  type: 'ActionSet',
  spacing: 'Small',
  actions: [
    execute(`${account.name} (${account.id})`, 'customer', { accountId: account.id, history: 'Month' }),
  ],
});

/** Several accounts match what the seller typed: one button per account. */
export function chooserCard(query: string, accounts: readonly IndexedAccount[]): AdaptiveCard {
  return adaptiveCard(
    [
      text(`Several accounts match “${plain(query)}”. Which one do you mean?`, { weight: 'Bolder' }),
      ...accounts.map(showCard),
    ],
    [],
    `Several accounts match "${query}": ${accounts.map((a) => a.name).join(', ')}.`,
  );
}

/** No account matches: the closest names, or how to ask. */
export function notFoundCard(query: string, suggestions: readonly IndexedAccount[]): AdaptiveCard {
  const heading = text(`I couldn't find an account called “${plain(query)}”.`, { weight: 'Bolder' });
  if (!suggestions.length) {
    return adaptiveCard(
      [
        heading,
        text(
          'Try the name as your customer list spells it, a part of it, or the account id. "top accounts" lists the most engaged ones.',
        ),
      ],
      [],
      `No account called "${query}".`,
    );
  }
  return adaptiveCard(
    [heading, text('Did you mean:', { spacing: 'Small' }), ...suggestions.map(showCard)],
    [],
    `No account called "${query}". Did you mean ${suggestions.map((a) => a.name).join(', ')}?`,
  );
}

/** A short message on a card (no results yet, a message too long, an action done). */
export function noticeCard(title: string, detail?: string): AdaptiveCard {
  return adaptiveCard(
    [text(title, { weight: 'Bolder' }), ...(detail ? [text(detail, { spacing: 'Small' })] : [])],
    [],
    detail ? `${title} ${detail}` : title,
  );
}
