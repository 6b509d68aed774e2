import type { Request, Response } from 'express';
import type { Settings } from '../../core/config/settings';
import type { BotLogic, ProactiveChannel } from '../channel';
import { createAdapter } from './adapter';
import { proactiveChannel } from './proactive';
import { TeamsHandler } from './teams-handler';

/** The bot on the Bot Framework SDK (botbuilder): what a port to another SDK replaces. */
export interface BotHost {
  /** The activity handler running the bot's logic (botbuilder's TeamsActivityHandler). */
  handler: TeamsHandler;
  proactive: ProactiveChannel;
  /** Takes one POST to /api/messages: the activity checked, authenticated and handed to the logic. */
  process(req: Request, res: Response): Promise<void>;
}

export function botbuilderHost(settings: Settings, logic: BotLogic): BotHost {
  const adapter = createAdapter(settings);
  const handler = new TeamsHandler(logic);
  return {
    handler,
    proactive: proactiveChannel(adapter, settings.APP_MODE === 'production' ? settings.BOT_ID : ''),
    process: (req, res) => adapter.process(req, res, (context) => handler.run(context)),
  };
}
