import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { Settings } from '../core/config/settings';

/**
 * Local mode runs the bot without credentials, which the Agents Playground accepts; production
 * validates every incoming Bot Framework token with the bot registration's id and secret.
 */
export function createAdapter(settings: Settings): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions =
    settings.APP_MODE === 'production'
      ? {
          MicrosoftAppId: settings.BOT_ID,
          MicrosoftAppPassword: settings.SECRET_BOT_PASSWORD,
          MicrosoftAppType: 'SingleTenant',
          MicrosoftAppTenantId: settings.TEAMS_APP_TENANT_ID,
        }
      : {};
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    console.error(`[bot] turn failed: ${error.stack ?? error.message}`);
    await context.sendActivity('Sorry, something went wrong on our side. Please try again in a moment.');
  };
  return adapter;
}
