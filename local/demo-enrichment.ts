import { actorOf, type Actor } from '../core/config/actor';
import { consentSettingsFor } from '../core/config/consent';
import {
  listEnrichments,
  loadEnrichment,
  type EnrichmentConfig,
  type EnrichmentDraft,
} from '../core/config/enrichment-config';
import {
  createEnrichment,
  EnrichmentConflictError,
  loadDraft,
  type EnrichmentConfigServices,
} from '../core/config/enrichment-service';
import type { LocalSettings } from '../core/config/settings';
import { DEMO_DATASET_ID, listDatasets } from '../core/datasets/dataset-library';
import type { GraphConnection } from '../core/graph/client';
import type { RunRecord } from '../core/runs/run-record';
import type { RunService } from '../core/runs/run-service';
import type { Containers } from '../core/store/containers';
import type { GeneratedTenant, GraphSimulator, SentMail } from './graph-simulator';

/**
 * The ready demo of `npm start`: on a store with no configuration for the demo tenant, the demo
 * enrichment is created the way an admin's wizard save creates one (the same checks and code path,
 * as the development identity), the consent request it mails is answered as the simulated tenant
 * admin who accepts it, through the app's own consent callback, and its first run starts at once.
 * A store that has any configuration for the tenant (an enrichment, a wizard draft, an uploaded
 * dataset) is left as it is.
 */

export const DEMO_ENRICHMENT_NAME = 'Demo sales engagement';
/** How the demo dataset's columns map (see `ensureDemoDataset`). */
export const DEMO_MAPPING = { emailField: 'Email', domainField: 'Domain', ownerField: 'OwnerEmail' } as const;
export const DEMO_REGION = 'europe';

/** `--empty` on the command line or LOCAL_DEMO=empty: start with no configuration, for trying the wizard. */
export function demoWanted(argv: readonly string[], settings: Pick<LocalSettings, 'LOCAL_DEMO'>): boolean {
  return !argv.includes('--empty') && settings.LOCAL_DEMO !== 'empty';
}

/** The demo tenant's sales groups: the groups no other group contains (nested ones come with them). */
export function demoTrackedGroups(tenant: GeneratedTenant): string[] {
  const nested = new Set(tenant.groups.flatMap((group) => group.members));
  return tenant.groups
    .filter((group) => !nested.has(group.id) && group.mail)
    .map((group) => group.mail ?? '');
}

/** What the admin would enter in the wizard for the demo. */
export function demoDraft(tenant: GeneratedTenant): EnrichmentDraft {
  return {
    name: DEMO_ENRICHMENT_NAME,
    tracked: demoTrackedGroups(tenant),
    consentStatement: { accepted: true },
    datasetId: DEMO_DATASET_ID,
    mapping: { ...DEMO_MAPPING },
    region: DEMO_REGION,
  };
}

export interface DemoContext {
  /** The settings the server runs with (consent sender and login URL filled in for local mode). */
  settings: LocalSettings;
  tenant: GeneratedTenant;
  simulator: Pick<GraphSimulator, 'sentMail'>;
  containers: Containers;
  graph: GraphConnection;
  runs: RunService;
  now(): number;
  /** The listening server's origin: the consent page redirects back to its callback. */
  appUrl: string;
}

/** How the demo's first run ended. */
export interface DemoRunEnd {
  run: RunRecord;
  succeeded: boolean;
}

export type DemoStart =
  /** Nothing created: the store has configuration (`failed` unset), or setting it up failed. */
  | { created: false; reason: string; failed?: true }
  | {
      created: true;
      enrichment: EnrichmentConfig;
      /** The first run, as queued. */
      run: RunRecord;
      /** Settles when the first run has ended (its rows visible when it succeeded). */
      finished: Promise<DemoRunEnd>;
      /** Stops watching the run (when the stack stops). */
      stopWatching(): void;
    };

/** Why the store is not fresh, or undefined when it has no configuration for the tenant. */
async function existingConfiguration(context: DemoContext, tenantId: string): Promise<string | undefined> {
  const enrichments = await listEnrichments(context.containers, tenantId);
  if (enrichments.length) {
    return `the store has ${enrichments.length === 1 ? 'an enrichment' : `${enrichments.length} enrichments`} already (${enrichments.map((e) => `"${e.name}"`).join(', ')})`;
  }
  if (await loadDraft(context, tenantId)) return 'the store holds an unfinished wizard draft';
  const uploaded = (await listDatasets({ ...context, tenantId })).filter(
    (d) => d.datasetId !== DEMO_DATASET_ID,
  );
  if (uploaded.length) {
    return `the store holds uploaded datasets (${uploaded.map((d) => `"${d.name}"`).join(', ')})`;
  }
  return undefined;
}

/** The consent link in the latest request mailed to `to`. */
function consentLink(sentMail: readonly SentMail[], to: string): URL {
  for (const mail of [...sentMail].reverse()) {
    const recipients = (mail.message.toRecipients ?? []) as { emailAddress?: { address?: string } }[];
    if (!recipients.some((r) => r.emailAddress?.address?.toLowerCase() === to.toLowerCase())) continue;
    const html = (mail.message.body as { content?: string } | undefined)?.content ?? '';
    const href = /href="([^"]*adminconsent\?[^"]+)"/.exec(html)?.[1];
    if (href) return new URL(href.replaceAll('&amp;', '&'));
  }
  throw new Error(`no consent request was mailed to ${to}`);
}

/**
 * Answers the mailed consent request as the simulated tenant admin who accepts it: the browser
 * lands on the app's consent callback (the link's redirect_uri) with what the identity platform
 * sends after an admin granted consent (`admin_consent=True`, the tenant, the link's `state`), and
 * the app records the grant there exactly as for a real tenant admin.
 */
async function grantAsTenantAdmin(context: DemoContext, requestedTo: string): Promise<void> {
  const link = consentLink(context.simulator.sentMail, requestedTo);
  const redirect = link.searchParams.get('redirect_uri');
  const state = link.searchParams.get('state');
  if (!redirect || !state) throw new Error(`the consent link has no redirect_uri or state: ${link.href}`);
  const callback = new URL(redirect);
  callback.searchParams.set('admin_consent', 'True');
  callback.searchParams.set('tenant', context.tenant.tenant.id);
  const scope = link.searchParams.get('scope');
  if (scope) callback.searchParams.set('scope', scope);
  callback.searchParams.set('state', state);
  const answer = await fetch(callback, { redirect: 'manual' });
  await answer.body?.cancel();
  if (answer.status !== 200) throw new Error(`the consent callback answered ${answer.status}`);
}

/** Settles with the run's end: its success hook, or its record once it failed or was interrupted. */
function watchRun(context: DemoContext, run: RunRecord): { finished: Promise<DemoRunEnd>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  let settle: (end: DemoRunEnd) => void = () => undefined;
  const finished = new Promise<DemoRunEnd>((resolve) => {
    settle = (end) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(end);
    };
  });
  // After the other follow-ups (the bot's catalog, alerts): the rows are visible and the bot knows them.
  context.runs.onRunSucceeded.push((event) => {
    if (event.run.runId === run.runId) settle({ run: event.run, succeeded: true });
    return Promise.resolve();
  });
  const poll = () => {
    timer = setTimeout(() => {
      context.runs.getRun(run.tenantId, run.enrichmentId, run.runId).then(
        (current) => {
          if (current && (current.status === 'failed' || current.status === 'interrupted')) {
            settle({ run: current, succeeded: false });
          } else if (!settled) poll();
        },
        () => (settled ? undefined : poll()),
      );
    }, 2_000);
    timer.unref();
  };
  poll();
  return {
    finished,
    stop: () => {
      settled = true;
      clearTimeout(timer);
    },
  };
}

/**
 * Creates the demo enrichment, grants its consent and starts its first run, unless the store has
 * configuration for the demo tenant already.
 */
export async function startDemoEnrichment(context: DemoContext): Promise<DemoStart> {
  const tenantId = context.tenant.tenant.id;
  const existing = await existingConfiguration(context, tenantId);
  if (existing) return { created: false, reason: existing };

  const settings = context.settings;
  // The wizard's save, as the development identity (server/identity.ts) makes it.
  const admin: Actor = actorOf({
    userId: `dev:${settings.LOCAL_USER_EMAIL}`,
    email: settings.LOCAL_USER_EMAIL,
    name: settings.LOCAL_USER_NAME,
  });
  const services: EnrichmentConfigServices = {
    containers: context.containers,
    graph: context.graph,
    now: context.now,
    consent: consentSettingsFor(settings, context.appUrl),
  };
  let saved;
  try {
    saved = await createEnrichment(services, tenantId, admin, demoDraft(context.tenant));
  } catch (error) {
    // Another start on the same store created it meanwhile.
    if (error instanceof EnrichmentConflictError) return { created: false, reason: error.message };
    throw error;
  }
  const { enrichment, consentRequest } = saved;
  if (!consentRequest?.sent) {
    throw new Error(
      `the demo enrichment was created, but its consent request was not sent: ${consentRequest?.error ?? 'none was due'}`,
    );
  }
  await grantAsTenantAdmin(context, consentRequest.to);
  const granted = await loadEnrichment(context.containers, tenantId, enrichment.enrichmentId);
  if (granted?.consent.status !== 'granted' || !granted.consent.grantedAt) {
    throw new Error(
      `consent for the demo enrichment is ${granted?.consent.status ?? 'missing'}, not granted`,
    );
  }
  const run = await context.runs.startRun(tenantId, granted.enrichmentId, {
    kind: 'first-run-after-consent',
    scheduledFor: granted.consent.grantedAt,
  });
  const watch = watchRun(context, run);
  return { created: true, enrichment: granted, run, finished: watch.finished, stopWatching: watch.stop };
}
