import type { Answer } from '../core/conversation/answers';
import { accountListCard } from './cards/account-list-card';
import type { AdaptiveCard } from './cards/adaptive';
import { chooserCard, noticeCard, notFoundCard } from './cards/choice-cards';
import { customerCard } from './cards/customer-card';
import { helpCard } from './cards/help-card';
import type { TabLinks } from './cards/tab-links';

/** The card that carries an answer; `shared` when the conversation is a channel or group chat. */
export function answerCard(answer: Answer, shared: boolean, links: TabLinks): AdaptiveCard {
  switch (answer.kind) {
    case 'help':
    case 'empty':
    case 'thanks':
      return helpCard({ shared });
    case 'unknown':
      return helpCard({ shared, notUnderstood: answer.text });
    case 'too-long':
      return noticeCard(
        `That message is too long for me (${answer.length.toLocaleString('en-US')} characters).`,
        'Ask about one account at a time, for example "engagement for Contoso?".',
      );
    case 'no-results':
      return noticeCard(
        'There are no engagement results yet.',
        'An admin sets up and runs the enrichment in the Account engagement tab; ask me again after its first run.',
      );
    case 'customer':
      return customerCard(answer.card, links, {
        thresholds: answer.thresholds,
        ...(answer.closestTo ? { closestTo: answer.closestTo } : {}),
      });
    case 'choose':
      return chooserCard(answer.choices.query, answer.choices.accounts, answer.choices);
    case 'not-found':
      return notFoundCard(answer.query, answer.suggestions);
    case 'list':
      return accountListCard(answer.list, answer.ownership);
  }
}
