/**
 * The stand-in for Microsoft Entra ID's admin-consent page, served by the app server over plain
 * http in local mode (no certificate warning): `GET {LOCAL_LOGIN_PATH}/{tenant}/v2.0/adminconsent`
 * asks the tenant admin to Accept or Cancel the app's permissions, and the answer sends the browser
 * back to `redirect_uri` exactly as the Graph simulator's login endpoints do (`LoginEndpoints`):
 * `admin_consent=True&tenant=…&state=…`, or `error=access_denied&error_description=…&state=…`.
 */
import express, { type Request, type Response, type Router } from 'express';
import { CONSENT_CALLBACK_PATH } from '../core/config/consent';
import { CONSENT_PERMISSIONS, escapeHtml } from '../core/config/consent-mail';
import type { LocalSettings } from '../core/config/settings';
import { localPage } from '../server/local-routes';
import type { TenantInfo } from './graph-simulator/fixture-schema';
import { LoginEndpoints, type ConsentRequest } from './graph-simulator/login-endpoints';

const APP_NAME = 'Account engagement';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface LocalLoginOptions {
  settings: Pick<LocalSettings, 'AAD_APP_CLIENT_ID' | 'TENANT_ADMIN_EMAIL' | 'LOCAL_USER_EMAIL'>;
  /** The organization the local tenant admin belongs to (the Graph simulator's tenant). */
  tenant: Pick<TenantInfo, 'id' | 'displayName' | 'verifiedDomains'>;
}

interface Problem {
  code: string;
  message: string;
}

/** What Entra ID refuses before showing the prompt, with its error code; undefined when the prompt may be shown. */
function problemOf(request: ConsentRequest, options: LocalLoginOptions, req: Request): Problem | undefined {
  const tenant = request.tenant.toLowerCase();
  const known = [options.tenant.id, 'common', 'organizations', ...options.tenant.verifiedDomains].map(
    (name) => name.toLowerCase(),
  );
  if (!known.includes(tenant)) {
    return {
      code: 'AADSTS90002',
      message: `Tenant '${request.tenant}' not found. Check that the tenant ID is right: only ${options.tenant.displayName} (${options.tenant.id}) exists in local mode.`,
    };
  }
  if (LoginEndpoints.consentRequestProblem(request)) {
    return { code: 'AADSTS900144', message: "The request body must contain the parameter 'redirect_uri'." };
  }
  if (request.clientId !== options.settings.AAD_APP_CLIENT_ID) {
    return {
      code: 'AADSTS700016',
      message: `Application with identifier '${request.clientId ?? ''}' was not found in the directory '${options.tenant.displayName}'.`,
    };
  }
  // The app registers one reply address: the consent callback of this server.
  const redirect = new URL(request.redirectUri ?? '');
  const port = String(req.socket.localPort ?? '');
  if (
    !LOOPBACK.has(redirect.hostname) ||
    redirect.port !== port ||
    redirect.pathname !== CONSENT_CALLBACK_PATH
  ) {
    return {
      code: 'AADSTS50011',
      message: `The redirect URI '${request.redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${request.clientId ?? ''}'.`,
    };
  }
  return undefined;
}

const LOGIN_CSS = `
body { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 16px;
       padding: 24px 12px; background: linear-gradient(135deg, #e9eef6 0%, #f6f3f8 55%, #eef3f1 100%); }
@media (prefers-color-scheme: dark) {
  body { background: linear-gradient(135deg, #1b1f27 0%, #211d25 55%, #1b2220 100%); }
}
.stand-in { display: inline-flex; align-items: center; gap: 6px; padding: 2px 10px; border-radius: 12px;
            background: var(--card); color: var(--fg2); font-size: 12px; box-shadow: var(--shadow); }
.stand-in::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #c19c00; }
.dialog { width: 100%; max-width: 440px; background: var(--card); box-shadow: 0 2px 6px rgba(0,0,0,.2);
          padding: 36px 44px 32px; display: grid; gap: 16px; }
.account { display: flex; align-items: center; gap: 8px; color: var(--fg2); font-size: 13px; min-width: 0; }
.account .who { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.account-icon { width: 24px; height: 24px; border-radius: 50%; background: var(--subtle);
                border: 1px solid var(--stroke); display: grid; place-items: center; flex: 0 0 auto; }
h1 { font-size: 24px; line-height: 28px; font-weight: 600; }
.for-org { margin: -8px 0 0; color: var(--fg2); }
.app { display: grid; grid-template-columns: 48px minmax(0, 1fr); gap: 12px; align-items: center; }
.app-logo { width: 48px; height: 48px; border-radius: 8px; background: #5b5fc7; color: #fff;
            display: grid; place-items: center; }
.app-name { font-size: 16px; line-height: 22px; font-weight: 600; display: block; }
.app-id { color: var(--fg3); font-size: 12px; overflow-wrap: anywhere; }
.wants { margin: 0; font-weight: 600; }
.permissions { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.permissions li { display: grid; grid-template-columns: 20px minmax(0, 1fr); gap: 8px; }
.permissions svg { margin-top: 2px; color: var(--fg2); }
.permission-name { display: block; font-weight: 600; }
.permission-what { display: block; color: var(--fg2); font-size: 13px; line-height: 18px; }
.fine { margin: 0; color: var(--fg2); font-size: 13px; line-height: 18px; }
.actions { display: flex; justify-content: flex-end; gap: 8px; padding-top: 8px; }
.actions .button { min-width: 108px; border-radius: 0; }
.actions .primary { background: #0067b8; }
.actions .primary:hover { background: #005da6; }
.actions .primary:active { background: #004e8c; }
.note { max-width: 440px; margin: 0; color: var(--fg2); font-size: 12px; line-height: 16px; text-align: center; }
.error-code { font-family: Consolas, "Courier New", monospace; font-size: 13px; color: var(--fg2);
              overflow-wrap: anywhere; }
@media (max-width: 480px) {
  body { justify-content: flex-start; padding: 12px 0; }
  .dialog { padding: 24px 20px; box-shadow: none; }
  .actions .button { flex: 1 1 0; min-width: 0; }
}
`;

const CHECK_ICON =
  '<svg width="16" height="16" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M7.03 13.9 3.56 10.43a.75.75 0 0 0-1.06 1.06l4 4c.3.3.77.3 1.06 0l10-10a.75.75 0 0 0-1.06-1.06L7.03 13.9Z"/></svg>';
const PERSON_ICON =
  '<svg width="14" height="14" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M10 2a4 4 0 1 0 0 8 4 4 0 0 0 0-8ZM7 6a3 3 0 1 1 6 0 3 3 0 0 1-6 0Zm-2 5a2 2 0 0 0-2 2c0 1.7.83 2.97 2.13 3.8A9.14 9.14 0 0 0 10 18c1.85 0 3.58-.39 4.87-1.2A4.37 4.37 0 0 0 17 13a2 2 0 0 0-2-2H5Zm-1 2a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1c0 1.3-.62 2.28-1.67 2.95A8.16 8.16 0 0 1 10 17a8.16 8.16 0 0 1-4.33-1.05A3.37 3.37 0 0 1 4 13Z"/></svg>';
const APP_ICON =
  '<svg width="28" height="28" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M17.5 3a.5.5 0 0 1 .5.5v4a.5.5 0 0 1-1 0V4.7l-5.65 5.65a.5.5 0 0 1-.7 0L8.5 8.21l-5.65 5.64a.5.5 0 0 1-.7-.7l6-6a.5.5 0 0 1 .7 0L11 9.29 16.3 4h-2.8a.5.5 0 0 1 0-1h4ZM3 16.5a.5.5 0 0 1 .5-.5h13a.5.5 0 0 1 0 1h-13a.5.5 0 0 1-.5-.5Z"/></svg>';

function shell(title: string, dialog: string): string {
  return localPage({
    title,
    css: LOGIN_CSS,
    body: `<span class="stand-in">Local stand-in for Microsoft Entra ID</span>
<main class="dialog">
${dialog}
</main>
<p class="note">Local mode: this page stands in for login.microsoftonline.com. It answers Account engagement exactly as Microsoft Entra ID does, and nothing leaves this machine.</p>`,
  });
}

function account(options: LocalLoginOptions): string {
  const who = options.settings.TENANT_ADMIN_EMAIL ?? options.settings.LOCAL_USER_EMAIL;
  return `<div class="account"><span class="account-icon">${PERSON_ICON}</span><span class="who">${escapeHtml(who)}</span></div>`;
}

/** The prompt: the app, the permissions it asks for, Accept and Cancel (a form posting back here). */
export function consentPromptPage(request: ConsentRequest, options: LocalLoginOptions): string {
  const fields: [string, string | null][] = [
    ['client_id', request.clientId],
    ['redirect_uri', request.redirectUri],
    ['state', request.state],
    ['scope', request.scope],
  ];
  const hidden = fields
    .flatMap(([name, value]) =>
      value === null ? [] : [`<input type="hidden" name="${name}" value="${escapeHtml(value)}">`],
    )
    .join('\n');
  const permissions = CONSENT_PERMISSIONS.map(
    ([name, what]) =>
      `<li>${CHECK_ICON}<span><span class="permission-name">${escapeHtml(name)}</span><span class="permission-what">${escapeHtml(what[0]?.toUpperCase() ?? '')}${escapeHtml(what.slice(1))}</span></span></li>`,
  ).join('\n');
  return shell(
    `Permissions requested · ${APP_NAME}`,
    `${account(options)}
<h1>Permissions requested</h1>
<p class="for-org">Review for your organization</p>
<div class="app">
<span class="app-logo">${APP_ICON}</span>
<span><span class="app-name">${APP_NAME}</span><span class="app-id">App ID ${escapeHtml(request.clientId ?? '')}</span></span>
</div>
<p class="wants" id="wants">This app would like to:</p>
<ul class="permissions" aria-labelledby="wants">
${permissions}
</ul>
<p class="fine">If you accept, this app gets access to these resources for all users in ${escapeHtml(options.tenant.displayName)}. No one else will be asked to review these permissions.</p>
<p class="fine">Accepting these permissions means that you allow this app to use your organization's data as its terms of service and privacy statement say. Consent can be revoked later in the app's Settings.</p>
<form method="post" class="actions">
${hidden}
<button class="button" type="submit" name="answer" value="cancel">Cancel</button>
<button class="button primary" type="submit" name="answer" value="accept">Accept</button>
</form>`,
  );
}

function errorPage(problem: Problem, options: LocalLoginOptions): string {
  return shell(
    `Sign-in problem · ${APP_NAME}`,
    `${account(options)}
<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error-code">${escapeHtml(problem.code)}: ${escapeHtml(problem.message)}</p>
<p class="fine">Open the newest consent link from the local mailbox, or send a new request from the Consent page of the tab.</p>`,
  );
}

function queryOf(source: unknown): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of ['client_id', 'redirect_uri', 'state', 'scope']) {
    const value = (source as Record<string, unknown> | undefined)?.[name];
    if (typeof value === 'string') query.set(name, value);
  }
  return query;
}

/**
 * `GET` and `POST` `/login/{tenant}/v2.0/adminconsent` (and the v1 `/login/{tenant}/adminconsent`),
 * below the local path. The redirect itself comes from the simulator's LoginEndpoints.
 */
export function localLoginRoutes(options: LocalLoginOptions): Router {
  const router = express.Router();
  const endpoints = new LoginEndpoints(() => options.tenant.id);
  const paths = ['/login/:tenant/v2.0/adminconsent', '/login/:tenant/adminconsent'];

  const refuse = (res: Response, problem: Problem) =>
    res.status(400).set('Cache-Control', 'no-store').type('html').send(errorPage(problem, options));

  router.get(paths, (req, res) => {
    const request = LoginEndpoints.consentRequest(String(req.params['tenant']), queryOf(req.query));
    const problem = problemOf(request, options, req);
    if (problem) {
      refuse(res, problem);
      return;
    }
    res.set('Cache-Control', 'no-store').type('html').send(consentPromptPage(request, options));
  });

  router.post(paths, express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    const request = LoginEndpoints.consentRequest(String(req.params['tenant']), queryOf(body));
    const problem = problemOf(request, options, req);
    if (problem) {
      refuse(res, problem);
      return;
    }
    const answer = endpoints.answerConsent(request, body?.['answer'] === 'accept' ? 'granted' : 'denied');
    res.status(answer.status).set('Cache-Control', 'no-store').set(answer.headers).end();
  });
  return router;
}
