import type { Containers } from '../core/store/containers';
import { ConversationRepository } from '../core/store/conversation-repository';
import { userIdOf } from './asker';
import type { BotTurn } from './channel';

/** Conversations whose reference this process stored already (so a message writes it only once). */
const MAX_KNOWN = 10_000;

/** A channel or group chat, where the bot answers when @mentioned. */
export function isShared(turn: BotTurn): boolean {
  const { type } = turn.conversation;
  return type === 'channel' || type === 'groupChat';
}

/** The conversation alerts go to: a channel message's conversation id names its thread; this is the channel. */
function conversationIdOf(turn: BotTurn): string {
  const { conversation } = turn;
  return conversation.channel?.id ?? conversation.id.split(';')[0] ?? conversation.id;
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
    /** Told each time a personal conversation is stored for a user whose email is known. */
    private readonly onPersonal: (owner: { tenantId: string; email: string }) => void = () => undefined,
  ) {}

  /** Stores the turn's conversation: always on install, and on a message the first time this process sees it. */
  async remember(turn: BotTurn, tenantId: string, install: boolean): Promise<void> {
    const { conversation } = turn;
    const shared = isShared(turn);
    const conversationId = conversationIdOf(turn);
    const key = `${tenantId}\n${shared ? conversationId : userIdOf(turn)}`;
    if (!install && this.known.has(key)) return;
    const reference = turn.reference();
    const repository = new ConversationRepository(this.containers.conversations, tenantId);
    if (shared) {
      const referenced = (reference.conversation ?? {}) as Record<string, unknown>;
      await repository.saveShared(
        {
          conversationId,
          scope: conversation.type === 'channel' ? 'channel' : 'groupChat',
          name: conversation.channel?.name ?? conversation.name ?? null,
          teamId: conversation.team?.id ?? null,
          reference: { ...reference, conversation: { ...referenced, id: conversationId } },
        },
        this.now(),
      );
    } else {
      const saved = await repository.savePersonal(
        {
          userId: userIdOf(turn),
          email: (await turn.memberEmail()) ?? null,
          name: turn.user.name,
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
  async forget(turn: BotTurn, tenantId: string): Promise<void> {
    const repository = new ConversationRepository(this.containers.conversations, tenantId);
    if (isShared(turn)) {
      await repository.removeShared(conversationIdOf(turn), turn.conversation.team?.id);
      this.known.clear();
    } else {
      await repository.removePersonal(userIdOf(turn));
      this.known.delete(`${tenantId}\n${userIdOf(turn)}`);
    }
  }
}
