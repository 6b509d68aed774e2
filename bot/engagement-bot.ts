import {
  CardFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import type { AccountCatalog } from '../core/conversation/account-catalog';
import { answerChoices, answerCustomer, answerIntent } from '../core/conversation/answers';
import { parseCardAction, type CardAction } from '../core/conversation/card-actions';
import { parseIntent } from '../core/conversation/message-intent';
import type { Containers } from '../core/store/containers';
import { actOnAlert } from './alert-actions';
import { answerCard } from './answer-cards';
import { AskerResolver, tenantOf } from './asker';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from './cards/adaptive';
import { noticeCard } from './cards/choice-cards';
import { helpCard } from './cards/help-card';
import type { TabLinks } from './cards/tab-links';
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
 * Teams plumbing only: who asks and where, then the answer from core/ as a card. Conversation
 * references are stored on install (and on the first message of a conversation not seen yet) and
 * removed on uninstall, for proactive alerts.
 */
export class EngagementBot extends TeamsActivityHandler {
  private readonly askers: AskerResolver;
  private readonly references: ConversationReferences;

  constructor(private readonly options: EngagementBotOptions) {
    super();
    this.askers = new AskerResolver(options.containers, options.catalog);
    this.references = new ConversationReferences(
      options.containers,
      options.now,
      (context) => this.askers.memberEmail(context),
      options.onPersonalConversation,
    );
    this.onMessage(async (context, next) => {
      await this.answerMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.membersAdded(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botId = context.activity.recipient.id;
      const tenantId = this.tenant(context);
      if (tenantId && context.activity.membersRemoved?.some((member) => member.id === botId)) {
        await this.references.forget(context, tenantId);
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      const tenantId = this.tenant(context);
      if (tenantId) await this.references.remember(context, tenantId, true);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      const tenantId = this.tenant(context);
      if (tenantId) await this.references.forget(context, tenantId);
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const tenantId = this.tenant(context);
    const action = parseCardAction(invokeValue.action.verb, invokeValue.action.data);
    if (!tenantId || !action) {
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: tenantId ? 'Unknown card action.' : 'Not available here.' },
      };
    }
    return {
      statusCode: 200,
      type: ADAPTIVE_CARD_CONTENT_TYPE,
      value: { ...(await this.act(context, tenantId, action)) },
    };
  }

  private tenant(context: TurnContext): string | undefined {
    const tenantId = tenantOf(context);
    return tenantId && this.options.allowsTenant(tenantId) ? tenantId : undefined;
  }

  private async reply(context: TurnContext, card: AdaptiveCard): Promise<void> {
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  }

  private async answerMessage(context: TurnContext): Promise<void> {
    const tenantId = this.tenant(context);
    if (!tenantId) {
      await this.reply(
        context,
        noticeCard(
          'Account engagement is not set up for your organization.',
          'Ask your Teams admin about it.',
        ),
      );
      return;
    }
    await this.references.remember(context, tenantId, false);
    const { activity } = context;
    const submitted = activity.value === undefined ? undefined : parseCardAction(undefined, activity.value);
    if (submitted) {
      await this.replaceOrReply(context, await this.act(context, tenantId, submitted));
      return;
    }
    // In channels and group chats the text carries the bot's @mention.
    const intent = parseIntent(TurnContext.removeRecipientMention(activity) ?? '');
    if (intent.kind === 'thanks') {
      await context.sendActivity("You're welcome.");
      return;
    }
    const answer = await answerIntent(this.options.catalog, intent, this.askers.asker(context, tenantId));
    await this.reply(context, answerCard(answer, isShared(context), this.options.links));
  }

  /** A Submit fallback of a card button: the card is updated in place when the channel allows, else answered. */
  private async replaceOrReply(context: TurnContext, card: AdaptiveCard): Promise<void> {
    const { replyToId } = context.activity;
    if (replyToId) {
      try {
        await context.updateActivity({
          id: replyToId,
          type: 'message',
          attachments: [CardFactory.adaptiveCard(card)],
        });
        return;
      } catch {
        // Not every channel updates messages; a new message carries the card then.
      }
    }
    await this.reply(context, card);
  }

  /** A card button's action, answered with the card that replaces the one pressed. */
  private async act(context: TurnContext, tenantId: string, action: CardAction): Promise<AdaptiveCard> {
    if (action.action === 'customer') {
      const answer = await answerCustomer(this.options.catalog, tenantId, action.accountId, action.history);
      return answerCard(answer, isShared(context), this.options.links);
    }
    if (action.action === 'choose') {
      const answer = await answerChoices(this.options.catalog, tenantId, action.query, action.page);
      return answerCard(answer, isShared(context), this.options.links);
    }
    // Alert actions change state: the presser is the verified activity's user, checked against the owner.
    const asker = this.askers.asker(context, tenantId);
    return actOnAlert(action, {
      containers: this.options.containers,
      tenantId,
      links: this.options.links,
      now: this.options.now(),
      presser: { userId: asker.userId, email: asker.email },
    });
  }

  private async membersAdded(context: TurnContext): Promise<void> {
    const botId = context.activity.recipient.id;
    const added = context.activity.membersAdded ?? [];
    const botAdded = added.some((member) => member.id === botId);
    const shared = isShared(context);
    // A personal install greets the user; in a team or group chat, only the bot's own arrival does.
    if (shared ? !botAdded : !added.length) return;
    const tenantId = this.tenant(context);
    if (tenantId) await this.references.remember(context, tenantId, true);
    await this.reply(context, helpCard({ welcome: true, shared }));
  }
}
