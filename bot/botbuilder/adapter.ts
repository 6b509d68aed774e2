import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Request,
  type Response,
  type TurnContext,
} from 'botbuilder';
import type { Settings } from '../../core/config/settings';
import { botError, checkActivity } from '../activity-validation';
import { errorMessage } from '../../core/text/error-text';

type Logic = (context: TurnContext) => Promise<void>;

/**
 * The CloudAdapter, with every incoming activity checked first (`activity-validation.ts`): a bad
 * one is answered 400 with a short reason before botbuilder sees it. What botbuilder answers with
 * an error's text (401 for a refused token, 500 for a failure) is answered with a short JSON error
 * instead; the error itself is logged.
 */
export class ValidatingAdapter extends CloudAdapter {
  constructor(
    auth: ConfigurationBotFrameworkAuthentication,
    private readonly mode: 'local' | 'production',
  ) {
    super(auth);
  }

  override async process(
    req: Request,
    res: unknown,
    logicOrHead: unknown,
    maybeLogic?: unknown,
  ): Promise<void> {
    // Web socket (streaming) connections: not used by this bot, left to botbuilder.
    if (maybeLogic !== undefined) {
      return super.process(req, res as never, logicOrHead as never, maybeLogic as never);
    }
    const response = res as Response;
    const answer = (status: number, code: string, message: string) => {
      response.status(status);
      response.header('content-type', 'application/json; charset=utf-8');
      response.send(JSON.stringify(botError(code, message)));
      response.end();
    };
    const check = checkActivity(req.body, this.mode);
    if (!check.ok) return answer(400, 'BadRequest', check.reason);
    let status = 200;
    let body: unknown;
    const guarded: Response = {
      socket: response.socket,
      header: (name, value) => response.header(name, value),
      status: (code) => {
        status = code;
        return guarded;
      },
      send: (value) => {
        body = value;
        return guarded;
      },
      end: () => {
        // An invoke's own response (an object) goes out as it is; error text never does.
        const errorText = status >= 400 && (body === undefined || typeof body === 'string');
        if (status === 401) answer(401, 'Unauthorized', 'The Bot Framework token is missing or invalid.');
        else if (errorText && status >= 500)
          answer(status, 'InternalError', 'The bot could not take this activity.');
        else if (errorText) answer(status, 'BadRequest', 'The bot could not take this activity.');
        else {
          response.status(status);
          if (body !== undefined) response.send(body);
          response.end();
        }
        return guarded;
      },
    };
    try {
      await super.process(req, guarded, logicOrHead as Logic);
    } catch (error) {
      // botbuilder's own parsing refused what the schema let through.
      console.error(`[bot] activity refused: ${errorMessage(error)}`);
      answer(400, 'BadRequest', 'Not a valid Bot Framework activity.');
    }
  }
}

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
  const adapter = new ValidatingAdapter(
    new ConfigurationBotFrameworkAuthentication(options),
    settings.APP_MODE,
  );
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    console.error(`[bot] turn failed: ${error.stack ?? error.message}`);
    await context.sendActivity('Sorry, something went wrong on our side. Please try again in a moment.');
  };
  return adapter;
}
