import type { IndexedAccount } from '../../core/accounts/account-index';
import { scoreBand } from '../../core/engine';
import { CHOICES, MAX_CHOICE_PAGES, type ChoiceAccount, type Choices } from '../../core/conversation/answers';
import { adaptiveCard, execute, plain, text, type AdaptiveCard, type Element } from './adaptive';
import { BAND_COLOR } from './customer-card';
import { count, plural } from './format';

/** Where a chooser's accounts sit among all that match. */
export type ChoicePage = Pick<Choices, 'total' | 'offset'>;

/**
 * One button per line: account names are too long to sit side by side. The id tells apart
 * accounts of the same name; the score, when known, sits beside the button in its band's colour.
 */
function showCard(account: ChoiceAccount): Element {
  const button: Element = {
    type: 'ActionSet',
    spacing: 'Small',
    actions: [
      execute(`${account.name} (${account.id})`, 'customer', { accountId: account.id, history: 'Month' }),
    ],
  };
  if (account.score === undefined) return button;
  const band = scoreBand(account.score);
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        verticalContentAlignment: 'Center',
        items: [{ ...button, spacing: 'None' }],
      },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Center',
        items: [
          text(String(account.score), {
            color: BAND_COLOR[band],
            weight: 'Bolder',
            horizontalAlignment: 'Right',
          }),
          text(band, {
            size: 'Small',
            color: BAND_COLOR[band],
            horizontalAlignment: 'Right',
            spacing: 'None',
          }),
        ],
      },
    ],
  };
}

/** "12 accounts match “Blue”; the 5 closest:", "…; the next 5 (6–10):", "…; the last 2 (11–12):" */
function chooserHeading(query: string, shown: number, { total, offset }: ChoicePage): string {
  const matches = `${plural(total, 'account')} ${total === 1 ? 'matches' : 'match'} “${plain(query)}”`;
  if (total <= shown) return `${matches}. Which one do you mean?`;
  const range = `${count(offset + 1)}–${count(offset + shown)}`;
  if (!offset) return `${matches}; the ${shown} closest:`;
  if (offset + shown >= total) return `${matches}; the last ${shown} (${range}):`;
  return `${matches}; the next ${shown} (${range}):`;
}

/**
 * Several accounts match what the seller typed: one button per account, the closest first (then
 * the higher scored), a page at a time. "Show more" turns to the next page, "Previous" back; the
 * heading says how many match in all, so none is left out unsaid.
 */
export function chooserCard(
  query: string,
  accounts: readonly ChoiceAccount[],
  page: ChoicePage = { total: accounts.length, offset: 0 },
): AdaptiveCard {
  const number = Math.floor(page.offset / CHOICES) + 1;
  const end = page.offset + accounts.length;
  const more = end < page.total && number < MAX_CHOICE_PAGES;
  const turn = (title: string, to: number) => execute(title, 'choose', { query, page: to });
  const paging = [
    ...(more ? [turn('Show more', number + 1)] : []),
    ...(number > 1 ? [turn('Previous', number - 1)] : []),
  ];
  const beyond = end < page.total && !more;
  return adaptiveCard(
    [
      text(chooserHeading(query, accounts.length, page), { weight: 'Bolder' }),
      ...accounts.map(showCard),
      ...(beyond
        ? [
            text(`${plural(page.total - end, 'more account')} match: type more of the name to find them.`, {
              isSubtle: true,
              spacing: 'Small',
            }),
          ]
        : []),
      ...(paging.length
        ? [{ type: 'ActionSet', spacing: 'Medium', separator: true, actions: paging } satisfies Element]
        : []),
    ],
    [],
    `${plural(page.total, 'account')} match "${query}": ${accounts.map((a) => a.name).join(', ')}${more ? ', and more' : ''}.`,
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
