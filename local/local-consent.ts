import express, { type Router } from 'express';
import type { LocalSettings } from '../core/config/settings';
import { LOCAL_SCRIPT, LOCAL_SCRIPT_PATH, LOCAL_PATH } from '../server/local-routes';
import type { GeneratedTenant, GraphSimulator } from './graph-simulator';
import { localLoginRoutes } from './local-login';
import { localMailboxRoutes, simulatorMail } from './local-mailbox';

/**
 * Consent in local mode: requests are sent from the demo tenant's first colleague through the
 * Graph simulator, which keeps the mail for the local mailbox (the recipient defaults to the
 * development identity). The consent link leads to the app server's own stand-in admin-consent
 * page (core/config/consent.ts, `consentSettingsFor`), unless LOGIN_BASE_URL names another
 * identity platform. A setting that is given wins.
 */
export function withLocalConsent(settings: LocalSettings, tenant: GeneratedTenant): LocalSettings {
  return {
    ...settings,
    CONSENT_SENDER: settings.CONSENT_SENDER ?? tenant.internalUsers[0]?.mail ?? undefined,
  };
}

/**
 * The local pages the app server mounts at LOCAL_PATH in local mode: the local mailbox
 * (`/local/mailbox`, the mail sent through the simulator) and the stand-in admin-consent page
 * (`/local/login/{tenant}/v2.0/adminconsent`), both plain http on loopback.
 */
export function localConsentRoutes(
  settings: LocalSettings,
  graph: Pick<GraphSimulator, 'sentMail' | 'tenant'>,
): Router {
  const router = express.Router();
  router.get(LOCAL_SCRIPT_PATH.slice(LOCAL_PATH.length), (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'no-cache').send(LOCAL_SCRIPT);
  });
  router.use(localMailboxRoutes(() => simulatorMail(graph)));
  router.use(localLoginRoutes({ settings, tenant: graph.tenant.tenant }));
  return router;
}
