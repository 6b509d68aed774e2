import {
  CardFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
} from 'botbuilder';
import type { AccountCatalog } from '../core/conversation/account-catalog';
import { answerCustomer, answerIntent, type Answer } from '../core/conversation/answers';
import { parseCardAction, type CardAction } from '../core/conversation/card-actions';
import { parseIntent } from '../core/conversation/message-intent';
import { AlertStore } from '../core/segments/alert-store';
import { declineAccount, snoozeAccount, SnoozeError } from '../core/segments/stale-alerts';
import type { Containers } from '../core/store/containers';
import { ConversationRepository } from '../core/store/conversation-repository';
import { AskerResolver, tenantOf, userIdOf } from './asker';
import { accountListCard } from './cards/account-list-card';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from './cards/adaptive';
import { resolvedAlertCard } from './cards/alert-card';
import { chooserCard, noticeCard, notFoundCard } from './cards/choice-cards';
import { customerCard } from './cards/customer-card';
import { helpCard } from './cards/help-card';
import type { TabLinks } from './cards/tab-links';

export interface EngagementBotOptions {
  containers: Containers;
  catalog: AccountCatalog;
  links: TabLinks;
  /** Epoch milliseconds. */
  now(): number;
  /** Whether the bot serves this tenant (production: the app's own tenants). */
  allowsTenant(tenantId: string): boolean;
}

/** Conversations whose reference this process stored already (so a message writes it only once). */
const MAX_KNOWN = 10_000;

/**
 * Teams plumbing only: who asks and where, then the answer from core/ as a card. Conversation
 * references are stored on install (and on the first message of a conversation not seen yet) and
 * removed on uninstall, for proactive alerts.
 */
export class EngagementBot extends TeamsActivityHandler {
  private readonly askers: AskerResolver;
  private readonly known = new Set<string>();

  constructor(private readonly options: EngagementBotOptions) {
    super();
    this.askers = new AskerResolver(options.containers, options.catalog);
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
      if (context.activity.membersRemoved?.some((member) => member.id === botId)) await this.forget(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context, true);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forget(context);
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

  private shared(context: TurnContext): boolean {
    const type = context.activity.conversation?.conversationType;
    return type === 'channel' || type === 'groupChat';
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
    await this.remember(context);
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
    await this.reply(context, this.cardFor(answer, this.shared(context)));
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

  private cardFor(answer: Answer, shared: boolean): AdaptiveCard {
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
        return customerCard(answer.card, this.options.links);
      case 'choose':
        return chooserCard(answer.query, answer.accounts);
      case 'not-found':
        return notFoundCard(answer.query, answer.suggestions);
      case 'list':
        return accountListCard(answer.list, answer.ownership);
    }
  }

  /** A card button's action, answered with the card that replaces the one pressed. */
  private async act(context: TurnContext, tenantId: string, action: CardAction): Promise<AdaptiveCard> {
    if (action.action === 'customer') {
      const answer = await answerCustomer(this.options.catalog, tenantId, action.accountId, action.history);
      return this.cardFor(answer, this.shared(context));
    }
    const { containers, now } = this.options;
    const store = new AlertStore(containers.alerts, tenantId);
    const alert = (await store.read('alert', store.alertDocumentId(action.alertId)))?.value;
    if (!alert || alert.accountId !== action.accountId || alert.enrichmentId !== action.enrichmentId) {
      return noticeCard(
        'This alert no longer exists.',
        'Ask "stale accounts" for the accounts that are quiet now.',
      );
    }
    // The alert went to its owner's personal chat, so whoever presses its buttons there is the owner.
    const by =
      (await this.askers.asker(context, tenantId).email()) ?? alert.owner?.email ?? userIdOf(context);
    const request = { enrichmentId: alert.enrichmentId, accountId: alert.accountId, by, now: now() };
    if (action.action === 'decline') {
      await declineAccount(containers, tenantId, request);
      return resolvedAlertCard(alert, { kind: 'declined' }, this.options.links);
    }
    try {
      const { until } = await snoozeAccount(containers, tenantId, request);
      return resolvedAlertCard(alert, { kind: 'snoozed', until }, this.options.links);
    } catch (error) {
      if (error instanceof SnoozeError) return noticeCard('The account could not be snoozed.', error.message);
      throw error;
    }
  }

  private async membersAdded(context: TurnContext): Promise<void> {
    const botId = context.activity.recipient.id;
    const added = context.activity.membersAdded ?? [];
    const botAdded = added.some((member) => member.id === botId);
    const shared = this.shared(context);
    // A personal install greets the user; in a team or group chat, only the bot's own arrival does.
    if (shared ? !botAdded : !added.length) return;
    await this.remember(context, true);
    await this.reply(context, helpCard({ welcome: true, shared }));
  }

  /**
   * Stores where the bot can write to later (personal: per user; channels and group chats: per
   * conversation): always on install, and on a message only the first time this process sees it.
   */
  private async remember(context: TurnContext, install = false): Promise<void> {
    const tenantId = this.tenant(context);
    if (!tenantId) return;
    const { activity } = context;
    const channelData = (activity.channelData ?? {}) as {
      channel?: { id?: string; name?: string };
      team?: { id?: string; name?: string };
    };
    const shared = this.shared(context);
    // A channel message's conversation id names the thread; alerts go to the channel itself.
    const conversationId =
      channelData.channel?.id ?? activity.conversation.id.split(';')[0] ?? activity.conversation.id;
    const key = `${tenantId}\n${shared ? conversationId : userIdOf(context)}`;
    if (!install && this.known.has(key)) return;
    const reference = TurnContext.getConversationReference(activity) as Partial<ConversationReference>;
    const repository = new ConversationRepository(this.options.containers.conversations, tenantId);
    if (shared) {
      await repository.saveShared(
        {
          conversationId,
          scope: activity.conversation.conversationType === 'channel' ? 'channel' : 'groupChat',
          name: channelData.channel?.name ?? activity.conversation.name ?? null,
          teamId: channelData.team?.id ?? null,
          reference: { ...reference, conversation: { ...reference.conversation, id: conversationId } },
        },
        this.options.now(),
      );
    } else {
      await repository.savePersonal(
        {
          userId: userIdOf(context),
          email: (await this.askers.memberEmail(context)) ?? null,
          name: activity.from.name ?? '',
          reference: { ...reference },
        },
        this.options.now(),
      );
    }
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.add(key);
  }

  private async forget(context: TurnContext): Promise<void> {
    const tenantId = this.tenant(context);
    if (!tenantId) return;
    const repository = new ConversationRepository(this.options.containers.conversations, tenantId);
    const { activity } = context;
    if (this.shared(context)) {
      const teamId = (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
      await repository.removeShared(
        activity.conversation.id.split(';')[0] ?? activity.conversation.id,
        teamId,
      );
      this.known.clear();
    } else {
      await repository.removePersonal(userIdOf(context));
      this.known.delete(`${tenantId}\n${userIdOf(context)}`);
    }
  }
}
