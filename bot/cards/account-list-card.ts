import type { AccountList, AccountSummary } from '../../core/results/account-lists';
import type { Ownership } from '../../core/conversation/answers';
import { adaptiveCard, execute, text, type AdaptiveCard, type Element } from './adaptive';
import { BAND_COLOR } from './customer-card';
import { count, day, daysAgo, plural } from './format';

/**
 * One account: a button with its name that opens its customer card (as a chooser's do), the last
 * contact under it and the score beside. `markMine` flags the seller's own accounts (needless in a
 * list of only theirs).
 */
function row(account: AccountSummary, first: boolean, markMine: boolean): Element {
  const contact = `Email ${daysAgo(account.daysSinceLastEmail)} · meeting ${daysAgo(account.daysSinceLastMeeting)}`;
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    separator: !first,
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        verticalContentAlignment: 'Center',
        items: [
          {
            type: 'ActionSet',
            actions: [
              // Action titles are plain text: the name as written.
              execute(`${account.name}${markMine && account.mine ? ' · yours' : ''}`, 'customer', {
                accountId: account.accountId,
                history: 'Month',
              }),
            ],
          },
          text(contact, { size: 'Small', isSubtle: true, spacing: 'Small' }),
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Center',
        items: [
          text(String(account.score), {
            size: 'Large',
            weight: 'Bolder',
            color: BAND_COLOR[account.band],
            horizontalAlignment: 'Right',
          }),
          text(account.band, {
            size: 'Small',
            color: BAND_COLOR[account.band],
            horizontalAlignment: 'Right',
            spacing: 'None',
          }),
        ],
      },
    ],
  };
}

function heading(list: AccountList, ownership: Ownership): { title: string; lines: string[] } {
  const shown = list.accounts.length;
  const asOf = `Data as of ${day(list.asOf)}.`;
  const whose =
    ownership === 'unknown-user'
      ? "I couldn't tell which accounts are yours: your email isn't known to me."
      : undefined;
  switch (list.kind) {
    case 'top':
      return {
        title: 'Top accounts',
        lines: [
          `The ${plural(shown, 'most engaged account')} of ${count(list.total)} with email or meeting activity. ${asOf}`,
        ],
      };
    case 'stale': {
      const yours = ownership === 'known' ? `, ${count(list.mineTotal)} of them yours` : '';
      return {
        title: 'Stale accounts',
        lines: [
          list.total
            ? `${plural(list.total, 'account')} without email or meeting for more than ${list.thresholdDays} days${yours}.${list.total > shown ? ` Showing ${shown}: ${ownership === 'known' && list.mineTotal ? 'yours first, then ' : ''}the highest scored.` : ''} ${asOf}`
            : `No account has gone without email and meeting for more than ${list.thresholdDays} days. ${asOf}`,
          ...(whose ? [whose] : []),
        ],
      };
    }
    case 'mine':
      return {
        title: 'Your accounts',
        lines: whose
          ? [whose]
          : [
              list.total
                ? `${plural(list.total, 'account')} ${list.total === 1 ? 'is' : 'are'} yours: owned by you, or most in touch with you where no owner is set.${list.total > shown ? ` Showing the ${shown} most engaged.` : ''} ${asOf}`
                : "You don't own any account in the customer list.",
            ],
      };
  }
}

/** A list of accounts (top, stale, mine), each a button that opens its customer card. */
export function accountListCard(list: AccountList, ownership: Ownership): AdaptiveCard {
  const { title, lines } = heading(list, ownership);
  return adaptiveCard(
    [
      text(title, { size: 'Large', weight: 'Bolder' }),
      ...lines.map((line) => text(line, { isSubtle: true, spacing: 'Small' })),
      ...list.accounts.map((account, i) => row(account, i === 0, list.kind !== 'mine')),
    ],
    [],
    `${title}: ${list.accounts.map((a) => `${a.name} (${a.score})`).join(', ') || 'none'}.`,
  );
}
