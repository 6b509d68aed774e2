import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../cards/adaptive';
import type { BotLogic, BotTurn } from '../channel';
import { turnOf } from './turn';

/** botbuilder's Teams activity handler, handing each kind of activity to the bot's logic. */
export class TeamsHandler extends TeamsActivityHandler {
  constructor(private readonly logic: BotLogic) {
    super();
    const to =
      (handle: (turn: BotTurn) => Promise<void>) =>
      async (context: TurnContext, next: () => Promise<void>) => {
        await handle(turnOf(context));
        await next();
      };
    this.onMessage(to((turn) => logic.message(turn)));
    this.onMembersAdded(to((turn) => logic.membersAdded(turn)));
    this.onMembersRemoved(to((turn) => logic.membersRemoved(turn)));
    this.onInstallationUpdateAdd(to((turn) => logic.installed(turn)));
    this.onInstallationUpdateRemove(to((turn) => logic.uninstalled(turn)));
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const { verb, data } = invokeValue.action;
    const answer = await this.logic.cardAction(turnOf(context), verb, data);
    if ('refused' in answer) {
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: answer.refused },
      };
    }
    return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: { ...answer.card } };
  }
}
