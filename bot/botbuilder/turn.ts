import { CardFactory, TeamsInfo, TurnContext, type Activity } from 'botbuilder';
import type { AdaptiveCard } from '../cards/adaptive';
import type { BotTurn } from '../channel';

interface TeamsChannelData {
  tenant?: { id?: unknown };
  channel?: { id?: string; name?: string };
  team?: { id?: string; name?: string };
}

/** A card or a text as the activity that carries it. */
export function messageActivity(message: AdaptiveCard | string): Partial<Activity> {
  return typeof message === 'string'
    ? { type: 'message', text: message }
    : { type: 'message', attachments: [CardFactory.adaptiveCard(message)] };
}

/** The turn as the bot's logic sees it (`bot/channel.ts`), read from botbuilder's TurnContext. */
export function turnOf(context: TurnContext): BotTurn {
  const { activity } = context;
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const tenantId = activity.conversation?.tenantId ?? channelData.tenant?.id;
  return {
    tenantId: typeof tenantId === 'string' && tenantId ? tenantId : undefined,
    user: { id: activity.from.id, aadObjectId: activity.from.aadObjectId, name: activity.from.name ?? '' },
    conversation: {
      id: activity.conversation.id,
      type: activity.conversation.conversationType,
      name: activity.conversation.name,
      channel: channelData.channel,
      team: channelData.team,
    },
    botId: activity.recipient.id,
    // In channels and group chats the text carries the bot's @mention.
    text: activity.type === 'message' ? (TurnContext.removeRecipientMention(activity) ?? '') : '',
    value: activity.value,
    replyToId: activity.replyToId,
    membersAdded: activity.membersAdded ?? [],
    membersRemoved: activity.membersRemoved ?? [],
    reference: () => ({ ...TurnContext.getConversationReference(activity) }),
    memberEmail: async () => {
      try {
        const member = await TeamsInfo.getMember(context, activity.from.id);
        const email = member.email ?? member.userPrincipalName;
        return email ? email.toLowerCase() : undefined;
      } catch {
        return undefined;
      }
    },
    send: async (message) => {
      await context.sendActivity(messageActivity(message));
    },
    replace: async (activityId, card) => {
      await context.updateActivity({ ...messageActivity(card), id: activityId });
    },
  };
}
