import type { StoredReference } from '../core/store/conversation-repository';
import type { AdaptiveCard } from './cards/adaptive';

/**
 * The seam between the bot's logic and the SDK that carries its activities. The logic (the
 * handler, askers, conversation references, alert delivery) sees only these shapes; the Bot
 * Framework SDK (botbuilder) stands behind them in `bot/botbuilder/`, the one folder that imports
 * it. A port to another SDK (the Microsoft 365 Agents SDK) replaces that folder and keeps these.
 */

/** Who wrote: the channel's user id, the Entra object id Teams gives, and the display name. */
export interface TurnUser {
  id: string;
  aadObjectId: string | undefined;
  name: string;
}

/** Where the activity was written. */
export interface TurnConversation {
  /** As the activity names it (a channel message's id names its thread). */
  id: string;
  /** `personal`, `groupChat` or `channel` in Teams. */
  type: string | undefined;
  name: string | undefined;
  /** From Teams' channel data: the channel and the team a channel conversation belongs to. */
  channel: { id?: string; name?: string } | undefined;
  team: { id?: string; name?: string } | undefined;
}

/** One incoming activity as the bot's logic sees it, and what the logic can do during it. */
export interface BotTurn {
  /** The organization the activity came from (Teams puts it on the conversation and in the channel data). */
  tenantId: string | undefined;
  user: TurnUser;
  conversation: TurnConversation;
  /** The bot's own id on the channel (its own arrival is told apart from a member's by it). */
  botId: string;
  /** The message's text without the bot's @mention. */
  text: string;
  /** What a card's Submit button sent, if anything. */
  value: unknown;
  /** The message a card button was pressed on. */
  replyToId: string | undefined;
  membersAdded: readonly { id: string }[];
  membersRemoved: readonly { id: string }[];
  /** Where the bot can write to later, as the channel gives it. */
  reference(): StoredReference;
  /** The user's email from the channel's member lookup (undefined when the channel cannot say). */
  memberEmail(): Promise<string | undefined>;
  send(message: AdaptiveCard | string): Promise<void>;
  /** Replaces the card of an earlier message; throws where the channel cannot update messages. */
  replace(activityId: string, card: AdaptiveCard): Promise<void>;
}

/** The answer to a card's Action.Execute: the card that replaces the pressed one, or why not. */
export type CardActionAnswer = { card: AdaptiveCard } | { refused: string };

/** What the bot does with each kind of activity; the SDK behind the seam calls these. */
export interface BotLogic {
  message(turn: BotTurn): Promise<void>;
  cardAction(turn: BotTurn, verb: string | undefined, data: unknown): Promise<CardActionAnswer>;
  membersAdded(turn: BotTurn): Promise<void>;
  membersRemoved(turn: BotTurn): Promise<void>;
  installed(turn: BotTurn): Promise<void>;
  uninstalled(turn: BotTurn): Promise<void>;
}

/** Sends to a stored conversation outside any turn (proactive alerts). */
export interface ProactiveChannel {
  /**
   * Sends the card and answers the new message's id when the channel gives one. The SDK's own
   * retries are off: a failure is thrown for the caller to judge and retry.
   */
  send(reference: StoredReference, card: AdaptiveCard): Promise<string | undefined>;
  /** The conversation a stored reference names (sends are paced per conversation). */
  conversationId(reference: StoredReference): string | undefined;
}
