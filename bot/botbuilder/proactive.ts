import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ProactiveChannel } from '../channel';
import { messageActivity } from './turn';

/**
 * Proactive sends through the CloudAdapter: the stored reference is continued with the bot's app
 * id ('' in local mode, where the Agents Playground needs none) and the card sent once.
 */
export function proactiveChannel(adapter: CloudAdapter, botAppId: string): ProactiveChannel {
  return {
    conversationId: (reference) => (reference as Partial<ConversationReference>).conversation?.id,
    async send(reference, card) {
      // The error, if any, is the caller's to judge (never the adapter's turn error handler's).
      let failure: { error: unknown } | undefined;
      let id: string | undefined;
      await adapter.continueConversationAsync(
        botAppId,
        reference as Partial<ConversationReference>,
        async (context) => {
          try {
            withoutBuiltInRetries(context);
            id = (await context.sendActivity(messageActivity(card)))?.id;
          } catch (error) {
            failure = { error };
          }
        },
      );
      if (failure) throw failure.error;
      return id;
    },
  };
}

/**
 * The Bot Connector client retries failed requests by itself (the Azure SDK pipeline's default
 * retry phase: up to 3 more tries). The sender decides about retries, so it removes that phase
 * from the client of its own turn.
 */
function withoutBuiltInRetries(context: TurnContext): void {
  const connector = context.turnState.get(context.adapter.ConnectorClientKey) as
    { client?: { pipeline?: { removePolicy(options: { phase: 'Retry' }): unknown } } } | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: 'Retry' });
}
