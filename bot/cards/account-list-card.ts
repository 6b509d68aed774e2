import type { AccountList, AccountSummary } from '../../core/results/account-lists';
import type { Ownership } from '../../core/conversation/answers';
import { SIGNAL_NAMES } from '../../core/results/signal-labels';
import { adaptiveCard, execute, text, type AdaptiveCard, type Element } from './adaptive';
import { BAND_COLOR } from './customer-card';
import { count, day, daysAgo, plural } from './format';

/**
 * One account: a button with its name that opens its customer card (as a chooser's do), the last
 * contact under it and the score beside. `markMine` flags the seller's own accounts (needless in a
 * list of only theirs).
 */
function row(account: AccountSummary, first: boolean, markMine: boolean, showSignals: boolean): Element {
  const contact = `Email ${daysAgo(account.daysSinceLastEmail)} · meeting ${daysAgo(account.daysSinceLastMeeting)}`;
  const signals = showSignals ? account.signals.map((signal) => SIGNAL_NAMES[signal]).join(' · ') : '';
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
          ...(signals
            ? [text(`⚠ ${signals}`, { size: 'Small', color: 'Attention', spacing: 'None', wrap: true })]
            : []),
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

/** What a list whose seller's own accounts come first says: how many, how many are theirs, which show. */
function yoursFirstLine(list: AccountList, ownership: Ownership, what: string, none: string): string {
  const shown = list.accounts.length;
  const asOf = `Data as of ${day(list.asOf)}.`;
  if (!list.total) return `${none} ${asOf}`;
  const yours = ownership === 'known' ? `, ${count(list.mineTotal)} of them yours` : '';
  const which =
    list.total > shown
      ? ` Showing ${shown}: ${ownership === 'known' && list.mineTotal ? 'yours first, then ' : ''}the highest scored.`
      : '';
  return `${plural(list.total, 'account')} ${what}${yours}.${which} ${asOf}`;
}

function heading(list: AccountList, ownership: Ownership): { title: string; lines: string[] } {
  const shown = list.accounts.length;
  const asOf = `Data as of ${day(list.asOf)}.`;
  const whose =
    ownership === 'unknown-user'
      ? ["I couldn't tell which accounts are yours: your email isn't known to me."]
      : [];
  switch (list.kind) {
    case 'top':
      return {
        title: 'Top accounts',
        lines: [
          `The ${plural(shown, 'most engaged account')} of ${count(list.total)} with email or meeting activity. ${asOf}`,
        ],
      };
    case 'stale':
      return {
        title: 'Stale accounts',
        lines: [
          yoursFirstLine(
            list,
            ownership,
            `without email or meeting for more than ${list.thresholdDays} days`,
            `No account has gone without email and meeting for more than ${list.thresholdDays} days.`,
          ),
          ...whose,
        ],
      };
    case 'at-risk':
      return {
        title: 'Accounts at risk',
        lines: [
          yoursFirstLine(
            list,
            ownership,
            'with a risk signal (stale, unanswered, single-threaded or cooling)',
            'No account shows a risk signal.',
          ),
          ...whose,
        ],
      };
    case 'unanswered':
      return {
        title: 'Unanswered accounts',
        lines: [
          yoursFirstLine(
            list,
            ownership,
            'whose recent emails from us got no reply',
            'No account has left our recent emails unanswered.',
          ),
          ...whose,
        ],
      };
    case 'mine':
      return {
        title: 'Your accounts',
        lines: whose.length
          ? whose
          : [
              list.total
                ? `${plural(list.total, 'account')} ${list.total === 1 ? 'is' : 'are'} yours: owned by you, or most in touch with you where no owner is set.${list.total > shown ? ` Showing the ${shown} most engaged.` : ''} ${asOf}`
                : "You don't own any account in the customer list.",
            ],
      };
  }
}

/** A list of accounts (top, stale, at risk, unanswered, mine), each a button that opens its customer card. */
export function accountListCard(list: AccountList, ownership: Ownership): AdaptiveCard {
  const { title, lines } = heading(list, ownership);
  return adaptiveCard(
    [
      text(title, { size: 'Large', weight: 'Bolder' }),
      ...lines.map((line) => text(line, { isSubtle: true, spacing: 'Small' })),
      ...list.accounts.map((account, i) =>
        row(account, i === 0, list.kind !== 'mine', list.kind === 'at-risk' || list.kind === 'unanswered'),
      ),
    ],
    [],
    `${title}: ${list.accounts.map((a) => `${a.name} (${a.score})`).join(', ') || 'none'}.`,
  );
}
