import { randomUUID } from 'node:crypto';
import { CardFactory, type CloudAdapter } from 'botbuilder';
import type { Settings } from '../core/config/settings';
import { AccountCatalog } from '../core/conversation/account-catalog';
import type { RunSucceededEvent, RunSucceededHook } from '../core/runs/run-service';
import type { Containers } from '../core/store/containers';
import { createAdapter } from './adapter';
import { alertCard } from './cards/alert-card';
import { tabLinks } from './cards/tab-links';
import { EngagementBot } from './engagement-bot';
import { AlertDelivery } from './proactive/alert-delivery';
import { AlertSender, type AlertSenderOptions } from './proactive/alert-sender';

export interface BotRuntimeOptions {
  settings: Settings;
  containers: Containers;
  /** Epoch milliseconds. */
  now(): number;
  /** The tab's URL (`…/tab/`), for links from cards without a Teams app id (default: from the settings). */
  tabUrl?: () => string;
  /** Sender tuning (retries, pacing, clock); tests and benchmarks set these. */
  sender?: Partial<Omit<AlertSenderOptions, 'containers' | 'adapter' | 'botAppId' | 'activityFor'>>;
  /** How often failed alert deliveries are tried again (default 5 minutes). */
  retryIntervalMs?: number;
  log?: (line: string) => void;
}

/** The bot's parts: the adapter at /api/messages, the handler, and proactive alert delivery. */
export interface BotRuntime {
  adapter: CloudAdapter;
  bot: EngagementBot;
  catalog: AccountCatalog;
  sender: AlertSender;
  delivery: AlertDelivery;
  /** Registers on a run service: after each successful run, the account index is rebuilt and alerts go out. */
  register(runs: { onRunSucceeded: RunSucceededHook[] }): void;
  /** Starts the retry timer of alert delivery. */
  start(): void;
  stop(): Promise<void>;
}

/** The tenants the bot serves: in production the app's own (and those allowed to sign in to the tab). */
function tenantPolicy(settings: Settings): (tenantId: string) => boolean {
  if (settings.APP_MODE === 'local') return () => true;
  const allowed = new Set(
    (settings.TEAMS_SSO_ALLOWED_TENANTS ?? [settings.TEAMS_APP_TENANT_ID]).map((id) => id.toLowerCase()),
  );
  return (tenantId) => allowed.has(tenantId.toLowerCase());
}

export function createBotRuntime(options: BotRuntimeOptions): BotRuntime {
  const { settings, containers } = options;
  const production = settings.APP_MODE === 'production';
  const adapter = createAdapter(settings);
  const catalog = new AccountCatalog(containers);
  const links = tabLinks({
    ...(production && settings.TEAMS_APP_ID ? { teamsAppId: settings.TEAMS_APP_ID } : {}),
    tabUrl:
      options.tabUrl ??
      (() =>
        `${settings.APP_MODE === 'production' ? settings.TAB_ENDPOINT.replace(/\/$/, '') : `http://localhost:${settings.PORT}`}/tab/`),
  });
  const sender = new AlertSender({
    instanceId: randomUUID(),
    ...(options.log ? { log: options.log } : {}),
    ...options.sender,
    containers,
    adapter,
    botAppId: production ? settings.BOT_ID : '',
    activityFor: (alert) => ({ attachments: [CardFactory.adaptiveCard(alertCard(alert, links))] }),
  });
  const delivery = new AlertDelivery({
    sender,
    containers,
    ...(options.retryIntervalMs ? { retryIntervalMs: options.retryIntervalMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const bot = new EngagementBot({
    containers,
    catalog,
    links,
    now: options.now,
    allowsTenant: tenantPolicy(settings),
    // Alerts skipped while the owner had no chat with the bot go out now, in the background.
    onPersonalConversation: ({ tenantId, email }) => void delivery.ownerInstalled(tenantId, email),
  });
  const afterRun = async (event: RunSucceededEvent) => {
    const shown = await catalog.shown(event.tenantId);
    // Warming waits for nobody: the first question after a run should not pay for the index.
    if (shown) void catalog.warm(shown).catch(() => undefined);
    await delivery.onRunSucceeded(event);
  };
  return {
    adapter,
    bot,
    catalog,
    sender,
    delivery,
    register: (runs) => runs.onRunSucceeded.push(afterRun),
    start: () => delivery.start(),
    stop: () => delivery.stop(),
  };
}
