import { randomBytes } from 'node:crypto';
import type { GraphConnection } from '../graph/client';
import { sendMail } from '../graph/send-mail';
import { ConfigurationRepository, type ConfigurationDocument } from '../store/configuration-repository';
import type { Containers } from '../store/containers';
import type { Actor } from './actor';
import type { Settings } from './settings';
import { consentRequestMail } from './consent-mail';
import {
  configOf,
  enrichmentDocumentId,
  EnrichmentNotFoundError,
  type ConsentState,
  type EnrichmentConfig,
  type EnrichmentDocument,
} from './enrichment-config';

/**
 * Tenant-admin consent. Saving an enrichment (or "resend") mails the tenant admin a link to the
 * identity platform's admin-consent page; its `state` names the tenant and a random token stored
 * with the request. The platform redirects back to the callback with the outcome, which is
 * recorded on the enrichment once: a link works one time, until it expires or a newer request
 * (or a revocation) replaces it.
 */

export interface ConsentSettings {
  /** The mailbox requests are sent from; without it (or a recipient) requests cannot be sent. */
  sender: string | undefined;
  /** Who receives the requests. */
  tenantAdminEmail: string | undefined;
  /** The identity platform, e.g. https://login.microsoftonline.com. */
  loginBaseUrl: string;
  /** The app's Entra application (client) id. */
  clientId: string;
  /** The app's public origin; the identity platform redirects to the callback below it. */
  appUrl: string;
}

export interface ConsentServices {
  containers: Containers;
  graph: GraphConnection;
  consent: ConsentSettings;
  now(): number;
}

export const CONSENT_CALLBACK_PATH = '/api/consent/callback';
/**
 * Local mode: the app server's stand-in for the identity platform (the admin-consent page, over
 * plain http on loopback) and the mailbox showing the mail the app sent through the Graph simulator.
 */
export const LOCAL_LOGIN_PATH = '/local/login';
export const LOCAL_MAILBOX_PATH = '/local/mailbox';
export const CONSENT_SCOPE = 'https://graph.microsoft.com/.default';
/** How long a mailed consent link works. */
export const CONSENT_LINK_TTL_MS = 7 * 24 * 3_600_000;

const REQUEST_TYPE = 'consent-request';
const UPDATE_ATTEMPTS = 10;
const STATE = /^([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]{32})$/;

interface ConsentRequestDocument extends ConfigurationDocument {
  type: typeof REQUEST_TYPE;
  enrichmentId: string;
  requestedBy: Actor;
  requestedTo: string;
  createdAt: string;
  expiresAt: string;
  /** Set once the link was answered, or replaced by a newer request or a revocation. */
  closedAt: string | null;
  closedBecause: 'answered' | 'replaced' | null;
}

/** The request could not be mailed (not configured, or Graph refused); nothing changed. */
export class ConsentMailError extends Error {
  override readonly name = 'ConsentMailError';
  constructor(
    readonly reason: 'not-configured' | 'not-sent',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The consent state does not allow this (e.g. revoking consent that was never granted). */
export class ConsentStateError extends Error {
  override readonly name = 'ConsentStateError';
}

export function callbackUrl(settings: ConsentSettings): string {
  return new URL(CONSENT_CALLBACK_PATH, settings.appUrl).toString();
}

/** The identity platform's admin-consent link for the tenant, carrying `state` back to the callback. */
export function adminConsentUrl(settings: ConsentSettings, tenantId: string, state: string): string {
  const url = new URL(
    `${settings.loginBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/v2.0/adminconsent`,
  );
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('scope', CONSENT_SCOPE);
  url.searchParams.set('redirect_uri', callbackUrl(settings));
  url.searchParams.set('state', state);
  return url.toString();
}

const requestId = (token: string) => `consent-request:${token}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** Applies `change` to the enrichment's consent state, re-reading when something else saved meanwhile. */
async function updateConsent(
  repository: ConfigurationRepository,
  enrichmentId: string,
  change: (current: EnrichmentConfig) => ConsentState,
): Promise<EnrichmentConfig> {
  for (let attempt = 1; ; attempt++) {
    const stored = await repository.read<EnrichmentDocument>(enrichmentDocumentId(enrichmentId));
    if (!stored) throw new EnrichmentNotFoundError(enrichmentId);
    const document: EnrichmentDocument = { ...stored.document, consent: change(configOf(stored.document)) };
    if (await repository.replace(document, stored.etag)) return configOf(document);
    if (attempt >= UPDATE_ATTEMPTS)
      throw new Error(`The enrichment "${enrichmentId}" kept changing; try again`);
  }
}

/** Closes the enrichment's open requests, so their links no longer work. */
async function closeOpenRequests(
  repository: ConfigurationRepository,
  enrichmentId: string,
  now: number,
  except?: string,
): Promise<void> {
  const open = await repository.list<ConsentRequestDocument>(REQUEST_TYPE, { enrichmentId });
  await Promise.all(
    open
      .filter((request) => request.closedAt === null && request.id !== except)
      .map((request) => repository.upsert({ ...request, closedAt: iso(now), closedBecause: 'replaced' })),
  );
}

/**
 * Mails the tenant admin a consent request for the enrichment and records it (status `requested`).
 * Earlier links stop working. Throws ConsentMailError when the mail cannot be sent, and
 * ConsentStateError when consent is granted already.
 */
export async function requestConsent(
  services: ConsentServices,
  tenantId: string,
  enrichmentId: string,
  requester: Actor,
): Promise<ConsentState> {
  const { sender, tenantAdminEmail } = services.consent;
  if (!sender || !tenantAdminEmail) {
    throw new ConsentMailError(
      'not-configured',
      'Consent requests cannot be sent: set CONSENT_SENDER (the mailbox they are sent from) and TENANT_ADMIN_EMAIL (who receives them).',
    );
  }
  const repository = new ConfigurationRepository(services.containers.configurations, tenantId);
  const stored = await repository.read<EnrichmentDocument>(enrichmentDocumentId(enrichmentId));
  if (!stored) throw new EnrichmentNotFoundError(enrichmentId);
  const config = configOf(stored.document);
  if (config.consent.status === 'granted') {
    throw new ConsentStateError('Consent is granted already; revoke it before requesting it again.');
  }

  const now = services.now();
  const token = randomBytes(24).toString('base64url');
  const request: ConsentRequestDocument = {
    id: requestId(token),
    tenantId,
    type: REQUEST_TYPE,
    enrichmentId,
    requestedBy: requester,
    requestedTo: tenantAdminEmail,
    createdAt: iso(now),
    expiresAt: iso(now + CONSENT_LINK_TTL_MS),
    closedAt: null,
    closedBecause: null,
  };
  await repository.upsert(request);
  const link = adminConsentUrl(services.consent, tenantId, `${tenantId}.${token}`);
  try {
    await sendMail(services.graph, {
      from: sender,
      to: [tenantAdminEmail],
      ...consentRequestMail({ link, enrichmentName: config.name, requester, expiresAt: request.expiresAt }),
    });
  } catch (error) {
    await repository.delete(request.id);
    throw new ConsentMailError(
      'not-sent',
      `The consent request could not be sent from ${sender} to ${tenantAdminEmail}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  await closeOpenRequests(repository, enrichmentId, now, request.id);
  const updated = await updateConsent(repository, enrichmentId, (current) => ({
    ...current.consent,
    status: current.consent.status === 'granted' ? 'granted' : 'requested',
    requestedTo: tenantAdminEmail,
    requestedAt: iso(now),
    requestedBy: requester,
  }));
  return updated.consent;
}

/** Records that consent was revoked; outstanding links stop working. */
export async function revokeConsent(
  services: Pick<ConsentServices, 'containers' | 'now'>,
  tenantId: string,
  enrichmentId: string,
  by: Actor,
): Promise<ConsentState> {
  const repository = new ConfigurationRepository(services.containers.configurations, tenantId);
  const now = services.now();
  const updated = await updateConsent(repository, enrichmentId, ({ consent }) => {
    if (consent.status !== 'granted') {
      throw new ConsentStateError(`Consent is ${consent.status}, not granted: there is nothing to revoke.`);
    }
    return { ...consent, status: 'revoked', grantedAt: null, revokedAt: iso(now), revokedBy: by };
  });
  await closeOpenRequests(repository, enrichmentId, now);
  return updated.consent;
}

/** The query the identity platform redirects back with. */
export interface ConsentAnswer {
  state?: string | undefined;
  admin_consent?: string | undefined;
  tenant?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
}

export type ConsentOutcome =
  | { kind: 'granted'; enrichmentName: string; tenantId: string }
  | { kind: 'refused'; enrichmentName: string; reason: string }
  /** The link cannot be used (unknown, expired, used or replaced); nothing was recorded. */
  | { kind: 'invalid'; reason: string };

const invalid = (reason: string): ConsentOutcome => ({ kind: 'invalid', reason });

/** Records the identity platform's answer to a consent request, once. */
export async function completeConsent(
  services: Pick<ConsentServices, 'containers' | 'now'>,
  answer: ConsentAnswer,
): Promise<ConsentOutcome> {
  const match = STATE.exec(answer.state ?? '');
  if (!match) return invalid('This consent link is not valid: it does not come from a request of this app.');
  const [, tenantId = '', token = ''] = match;
  const repository = new ConfigurationRepository(services.containers.configurations, tenantId);
  const stored = await repository.read<ConsentRequestDocument>(requestId(token));
  if (!stored) return invalid('This consent link is not valid: it does not come from a request of this app.');
  const request = stored.document;
  const now = services.now();
  if (request.closedBecause === 'answered') return invalid('This consent link was used already.');
  if (request.closedBecause === 'replaced') {
    return invalid('This consent link was replaced by a newer request; use the link in the latest message.');
  }
  if (Date.parse(request.expiresAt) <= now) {
    return invalid('This consent link has expired; ask for a new request from the Account engagement tab.');
  }
  // An answer that cannot be recorded leaves the link usable: only a recorded answer uses it up.
  const granted = answer.error === undefined && answer.admin_consent?.toLowerCase() === 'true';
  if (granted && answer.tenant !== undefined && answer.tenant.toLowerCase() !== tenantId.toLowerCase()) {
    return invalid(
      `Consent was given for another organization (tenant ${answer.tenant}); nothing was recorded.`,
    );
  }
  if (!granted && answer.error === undefined) {
    return invalid('The answer carried neither consent nor an error; nothing was recorded.');
  }
  const closed = { ...request, closedAt: iso(now), closedBecause: 'answered' as const };
  if (!(await repository.replace(closed, stored.etag))) return invalid('This consent link was used already.');
  const reason = answer.error_description || answer.error || '';
  try {
    const config = await updateConsent(repository, request.enrichmentId, ({ consent }) =>
      granted
        ? {
            ...consent,
            status: 'granted',
            grantedAt: iso(now),
            grantedTenantId: answer.tenant ?? tenantId,
            refusedAt: null,
            refusalReason: null,
            revokedAt: null,
            revokedBy: null,
          }
        : {
            ...consent,
            status: 'refused',
            grantedAt: null,
            grantedTenantId: null,
            refusedAt: iso(now),
            refusalReason: reason,
          },
    );
    return granted
      ? { kind: 'granted', enrichmentName: config.name, tenantId: answer.tenant ?? tenantId }
      : { kind: 'refused', enrichmentName: config.name, reason };
  } catch (error) {
    if (error instanceof EnrichmentNotFoundError) {
      return invalid('The enrichment this consent link was for no longer exists.');
    }
    // Nothing was recorded: the link works again.
    await repository.upsert(request).catch(() => undefined);
    throw error;
  }
}

/**
 * The consent settings of a server whose own origin is `origin`. Production links back to
 * TAB_ENDPOINT; the local server to its own loopback origin (its port may be ephemeral), its
 * tenant admin defaults to the development identity, and its consent links lead to its own
 * stand-in admin-consent page (LOCAL_LOGIN_PATH) unless LOGIN_BASE_URL names another.
 */
export function consentSettingsFor(settings: Settings, origin: string): ConsentSettings {
  if (settings.APP_MODE === 'production') {
    return {
      sender: settings.CONSENT_SENDER,
      tenantAdminEmail: settings.TENANT_ADMIN_EMAIL,
      loginBaseUrl: settings.LOGIN_BASE_URL,
      clientId: settings.AAD_APP_CLIENT_ID,
      appUrl: settings.TAB_ENDPOINT,
    };
  }
  return {
    sender: settings.CONSENT_SENDER,
    tenantAdminEmail: settings.TENANT_ADMIN_EMAIL ?? settings.LOCAL_USER_EMAIL,
    loginBaseUrl: settings.LOGIN_BASE_URL ?? new URL(LOCAL_LOGIN_PATH, origin).toString(),
    clientId: settings.AAD_APP_CLIENT_ID,
    appUrl: origin,
  };
}
