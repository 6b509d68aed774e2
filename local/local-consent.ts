import type { LocalSettings } from '../core/config/settings';
import type { GeneratedTenant } from './graph-simulator';

/**
 * Consent in local mode: requests are sent from the demo tenant's first colleague, and the Graph
 * simulator's stand-in admin-consent page answers them (the recipient defaults to the development
 * identity). A setting that is given wins.
 */
export function withLocalConsent(
  settings: LocalSettings,
  tenant: GeneratedTenant,
  simulatorLoginUrl: string,
): LocalSettings {
  return {
    ...settings,
    CONSENT_SENDER: settings.CONSENT_SENDER ?? tenant.internalUsers[0]?.mail ?? undefined,
    LOGIN_BASE_URL: settings.LOGIN_BASE_URL ?? simulatorLoginUrl,
  };
}
