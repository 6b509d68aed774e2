import { TurnContext, type ConversationReference } from 'botbuilder';
import type { Containers } from '../core/store/containers';
import { ConversationRepository } from '../core/store/conversation-repository';
import { userIdOf } from './asker';

/** Conversations whose reference this process stored already (so a message writes it only once). */
const MAX_KNOWN = 10_000;

/** A channel or group chat, where the bot answers when @mentioned. */
export function isShared(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === 'channel' || type === 'groupChat';
}

interface ChannelData {
  channel?: { id?: string; name?: string };
  team?: { id?: string; name?: string };
}

/** The conversation alerts go to: a channel message's conversation id names its thread; this is the channel. */
function conversationIdOf(context: TurnContext): string {
  const { activity } = context;
  const channelData = (activity.channelData ?? {}) as ChannelData;
  return channelData.channel?.id ?? activity.conversation.id.split(';')[0] ?? activity.conversation.id;
}

/**
 * Where the bot can write to later, for proactive alerts: personal chats per user (by Entra object
 * id, with the user's email when Teams gives it), channels and group chats per conversation.
 */
export class ConversationReferences {
  private readonly known = new Set<string>();

  constructor(
    private readonly containers: Containers,
    private readonly now: () => number,
    private readonly memberEmail: (context: TurnContext) => Promise<string | undefined>,
    /** Told each time a personal conversation is stored for a user whose email is known. */
    private readonly onPersonal: (owner: { tenantId: string; email: string }) => void = () => undefined,
  ) {}

  /** Stores the turn's conversation: always on install, and on a message the first time this process sees it. */
  async remember(context: TurnContext, tenantId: string, install: boolean): Promise<void> {
    const { activity } = context;
    const shared = isShared(context);
    const conversationId = conversationIdOf(context);
    const key = `${tenantId}\n${shared ? conversationId : userIdOf(context)}`;
    if (!install && this.known.has(key)) return;
    const reference = TurnContext.getConversationReference(activity) as Partial<ConversationReference>;
    const repository = new ConversationRepository(this.containers.conversations, tenantId);
    if (shared) {
      const channelData = (activity.channelData ?? {}) as ChannelData;
      await repository.saveShared(
        {
          conversationId,
          scope: activity.conversation.conversationType === 'channel' ? 'channel' : 'groupChat',
          name: channelData.channel?.name ?? activity.conversation.name ?? null,
          teamId: channelData.team?.id ?? null,
          reference: { ...reference, conversation: { ...reference.conversation, id: conversationId } },
        },
        this.now(),
      );
    } else {
      const saved = await repository.savePersonal(
        {
          userId: userIdOf(context),
          email: (await this.memberEmail(context)) ?? null,
          name: activity.from.name ?? '',
          reference: { ...reference },
        },
        this.now(),
      );
      if (saved.email) this.onPersonal({ tenantId, email: saved.email });
    }
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.add(key);
  }

  /** Removes the turn's conversation (the app uninstalled, or the bot removed from a team or chat). */
  async forget(context: TurnContext, tenantId: string): Promise<void> {
    const repository = new ConversationRepository(this.containers.conversations, tenantId);
    if (isShared(context)) {
      const teamId = (context.activity.channelData as ChannelData | undefined)?.team?.id;
      await repository.removeShared(conversationIdOf(context), teamId);
      this.known.clear();
    } else {
      await repository.removePersonal(userIdOf(context));
      this.known.delete(`${tenantId}\n${userIdOf(context)}`);
    }
  }
}
