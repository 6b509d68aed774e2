import helmet from 'helmet';
import type { Settings } from '../core/config/settings';

/**
 * The Microsoft 365 hosts that may frame the tab, as Microsoft lists them for Teams tabs
 * (Teams, Microsoft 365 and Outlook on the web, and the cloud.microsoft domain they move to).
 */
export const TAB_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
];

/** TeamsJS fetches its list of trusted host origins from here on `app.initialize()`. */
const TEAMS_JS_VALID_DOMAINS = 'https://res.cdn.office.net';

/**
 * Security headers for every response. The tab runs in a Teams iframe, so framing is governed by
 * CSP `frame-ancestors` alone (no X-Frame-Options, which cannot name several hosts).
 */
export function securityHeaders(settings: Settings) {
  const production = settings.APP_MODE === 'production';
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        // Fluent UI (Griffel) inserts its generated CSS as <style> elements at run time.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", TEAMS_JS_VALID_DOMAINS],
        'object-src': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'self'", ...TAB_FRAME_ANCESTORS],
        // The local server speaks plain HTTP on loopback; upgrading there would break the tab.
        ...(production ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    xFrameOptions: false,
    // Teams' authentication and consent windows are popups that report back to their opener.
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
}
