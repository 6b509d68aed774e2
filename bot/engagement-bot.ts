import type { AccountCatalog } from '../core/conversation/account-catalog';
import { answerChoices, answerCustomer, answerIntent } from '../core/conversation/answers';
import { parseCardAction, type CardAction } from '../core/conversation/card-actions';
import { parseIntent } from '../core/conversation/message-intent';
import type { Containers } from '../core/store/containers';
import { actOnAlert } from './alert-actions';
import { answerCard } from './answer-cards';
import { AskerResolver } from './asker';
import type { AdaptiveCard } from './cards/adaptive';
import { noticeCard } from './cards/choice-cards';
import { helpCard } from './cards/help-card';
import type { TabLinks } from './cards/tab-links';
import type { BotLogic, BotTurn, CardActionAnswer } from './channel';
import { ConversationReferences, isShared } from './conversation-references';

export interface EngagementBotOptions {
  containers: Containers;
  catalog: AccountCatalog;
  links: TabLinks;
  /** Epoch milliseconds. */
  now(): number;
  /** Whether the bot serves this tenant (production: the app's own tenants). */
  allowsTenant(tenantId: string): boolean;
  /**
   * A user's personal conversation was stored (the app installed, or a first message): they can
   * now be written to. Called during the turn; whatever it starts must not hold the turn up.
   */
  onPersonalConversation?: (owner: { tenantId: string; email: string }) => void;
}

/**
 * What the bot does, whatever SDK carries its activities (`channel.ts`): who asks and where, then
 * the answer from core/ as a card. Conversation references are stored on install (and on the
 * first message of a conversation not seen yet) and removed on uninstall, for proactive alerts.
 */
export class EngagementBot implements BotLogic {
  private readonly askers: AskerResolver;
  private readonly references: ConversationReferences;

  constructor(private readonly options: EngagementBotOptions) {
    this.askers = new AskerResolver(options.containers, options.catalog);
    this.references = new ConversationReferences(
      options.containers,
      options.now,
      options.onPersonalConversation,
    );
  }

  async message(turn: BotTurn): Promise<void> {
    const tenantId = this.tenant(turn);
    if (!tenantId) {
      await turn.send(
        noticeCard(
          'Account engagement is not set up for your organization.',
          'Ask your Teams admin about it.',
        ),
      );
      return;
    }
    await this.references.remember(turn, tenantId, false);
    const submitted = turn.value === undefined ? undefined : parseCardAction(undefined, turn.value);
    if (submitted) {
      await this.replaceOrReply(turn, await this.act(turn, tenantId, submitted));
      return;
    }
    const intent = parseIntent(turn.text);
    if (intent.kind === 'thanks') {
      await turn.send("You're welcome.");
      return;
    }
    const answer = await answerIntent(this.options.catalog, intent, this.askers.asker(turn, tenantId));
    await turn.send(answerCard(answer, isShared(turn), this.options.links));
  }

  async cardAction(turn: BotTurn, verb: string | undefined, data: unknown): Promise<CardActionAnswer> {
    const tenantId = this.tenant(turn);
    const action = parseCardAction(verb, data);
    if (!tenantId || !action) return { refused: tenantId ? 'Unknown card action.' : 'Not available here.' };
    return { card: await this.act(turn, tenantId, action) };
  }

  async membersAdded(turn: BotTurn): Promise<void> {
    const added = turn.membersAdded;
    const botAdded = added.some((member) => member.id === turn.botId);
    const shared = isShared(turn);
    // A personal install greets the user; in a team or group chat, only the bot's own arrival does.
    if (shared ? !botAdded : !added.length) return;
    const tenantId = this.tenant(turn);
    if (tenantId) await this.references.remember(turn, tenantId, true);
    await turn.send(helpCard({ welcome: true, shared }));
  }

  async membersRemoved(turn: BotTurn): Promise<void> {
    const tenantId = this.tenant(turn);
    if (tenantId && turn.membersRemoved.some((member) => member.id === turn.botId)) {
      await this.references.forget(turn, tenantId);
    }
  }

  async installed(turn: BotTurn): Promise<void> {
    const tenantId = this.tenant(turn);
    if (tenantId) await this.references.remember(turn, tenantId, true);
  }

  async uninstalled(turn: BotTurn): Promise<void> {
    const tenantId = this.tenant(turn);
    if (tenantId) await this.references.forget(turn, tenantId);
  }

  private tenant(turn: BotTurn): string | undefined {
    const { tenantId } = turn;
    return tenantId && this.options.allowsTenant(tenantId) ? tenantId : undefined;
  }

  /** A Submit fallback of a card button: the card is updated in place when the channel allows, else answered. */
  private async replaceOrReply(turn: BotTurn, card: AdaptiveCard): Promise<void> {
    if (turn.replyToId) {
      try {
        await turn.replace(turn.replyToId, card);
        return;
      } catch {
        // Not every channel updates messages; a new message carries the card then.
      }
    }
    await turn.send(card);
  }

  /** A card button's action, answered with the card that replaces the one pressed. */
  private async act(turn: BotTurn, tenantId: string, action: CardAction): Promise<AdaptiveCard> {
    if (action.action === 'customer') {
      const answer = await answerCustomer(this.options.catalog, tenantId, action.accountId, action.history);
      return answerCard(answer, isShared(turn), this.options.links);
    }
    if (action.action === 'choose') {
      const answer = await answerChoices(this.options.catalog, tenantId, action.query, action.page);
      return answerCard(answer, isShared(turn), this.options.links);
    }
    // Alert actions change state: the presser is the verified activity's user, checked against the owner.
    const asker = this.askers.asker(turn, tenantId);
    return actOnAlert(action, {
      containers: this.options.containers,
      tenantId,
      links: this.options.links,
      now: this.options.now(),
      presser: { userId: asker.userId, email: asker.email },
    });
  }
}
