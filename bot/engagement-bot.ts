import { CardFactory, TeamsActivityHandler, type TurnContext } from 'botbuilder';
import { helpCard } from './cards/help-card';

/** Teams plumbing only: each turn is answered from core/. */
export class EngagementBot extends TeamsActivityHandler {
  constructor() {
    super();
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      if (context.activity.membersAdded?.some((member) => member.id !== botId)) {
        await this.sendHelp(context);
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.sendHelp(context);
      await next();
    });
  }

  private async sendHelp(context: TurnContext): Promise<void> {
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(helpCard())] });
  }
}
