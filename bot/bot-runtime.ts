import { randomUUID } from 'node:crypto';
import type { Settings } from '../core/config/settings';
import { AccountCatalog } from '../core/conversation/account-catalog';
import type { RunSucceededEvent, RunSucceededHook } from '../core/runs/run-service';
import type { Containers } from '../core/store/containers';
import { botbuilderHost, type BotHost } from './botbuilder/host';
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
  sender?: Partial<Omit<AlertSenderOptions, 'containers' | 'channel' | 'cardFor'>>;
  /** How often failed alert deliveries are tried again (default 5 minutes). */
  retryIntervalMs?: number;
  log?: (line: string) => void;
}

/** The bot's parts: /api/messages, the activity handler, and proactive alert delivery. */
export interface BotRuntime {
  /** Takes one POST to /api/messages. */
  process: BotHost['process'];
  /** The activity handler the SDK runs (tests drive it with botbuilder's TestAdapter). */
  bot: BotHost['handler'];
  proactive: BotHost['proactive'];
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
  const catalog = new AccountCatalog(containers);
  const links = tabLinks({
    ...(production && settings.TEAMS_APP_ID ? { teamsAppId: settings.TEAMS_APP_ID } : {}),
    tabUrl:
      options.tabUrl ??
      (() =>
        `${settings.APP_MODE === 'production' ? settings.TAB_ENDPOINT.replace(/\/$/, '') : `http://localhost:${settings.PORT}`}/tab/`),
  });
  const logic = new EngagementBot({
    containers,
    catalog,
    links,
    now: options.now,
    allowsTenant: tenantPolicy(settings),
    // Alerts skipped while the owner had no chat with the bot go out now, in the background.
    onPersonalConversation: ({ tenantId, email }) => void delivery.ownerInstalled(tenantId, email),
  });
  const host = botbuilderHost(settings, logic);
  const sender = new AlertSender({
    instanceId: randomUUID(),
    ...(options.log ? { log: options.log } : {}),
    ...options.sender,
    containers,
    channel: host.proactive,
    cardFor: (alert) => alertCard(alert, links),
  });
  const delivery = new AlertDelivery({
    sender,
    containers,
    ...(options.retryIntervalMs ? { retryIntervalMs: options.retryIntervalMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const afterRun = async (event: RunSucceededEvent) => {
    const shown = await catalog.shown(event.tenantId);
    // Warming waits for nobody: the first question after a run should not pay for the index.
    if (shown) void catalog.warm(shown).catch(() => undefined);
    await delivery.onRunSucceeded(event);
  };
  return {
    process: host.process,
    bot: host.handler,
    proactive: host.proactive,
    catalog,
    sender,
    delivery,
    register: (runs) => runs.onRunSucceeded.push(afterRun),
    start: () => delivery.start(),
    stop: () => delivery.stop(),
  };
}
