/**
 * The few Microsoft identity platform endpoints the product's flows touch, served beside Graph so a
 * local run needs no internet: tenant-admin consent (`/{tenant}/adminconsent`, `/{tenant}/v2.0/adminconsent`)
 * redirects back with `admin_consent=True` (or `error=access_denied` when consent is set to be
 * refused), and the client-credentials token endpoint (`/{tenant}/oauth2/v2.0/token`) hands out an
 * opaque token the simulator accepts. The local app server's stand-in consent page
 * (local/local-login.ts), which asks Accept or Cancel, answers through `answerConsent` below.
 */
import { randomBytes } from 'node:crypto';

export interface ConsentRequest {
  /** The tenant segment of the URL (id, domain, "organizations" or "common"). */
  tenant: string;
  clientId: string | null;
  redirectUri: string | null;
  state: string | null;
  scope: string | null;
  at: Date;
}

export interface LoginResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** The prompt's redirect_uri when it is an absolute http(s) URL. */
function redirectOf(request: ConsentRequest): URL | undefined {
  if (request.redirectUri === null || !/^https?:\/\//i.test(request.redirectUri)) return undefined;
  try {
    return new URL(request.redirectUri);
  } catch {
    return undefined;
  }
}

export class LoginEndpoints {
  readonly consentRequests: ConsentRequest[] = [];
  /** What the next admin-consent prompts answer. */
  consentOutcome: 'granted' | 'denied' = 'granted';

  constructor(private readonly tenantId: () => string) {}

  /** Serves the request when it is a login endpoint; undefined otherwise. */
  handle(method: string, url: URL, rawBody: string): LoginResponse | undefined {
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const [tenant, ...rest] = segments;
    if (tenant === undefined) return undefined;
    const tail = rest.join('/').toLowerCase();
    if (method === 'GET' && (tail === 'adminconsent' || tail === 'v2.0/adminconsent')) {
      return this.adminConsent(tenant, url.searchParams);
    }
    if (method === 'POST' && tail === 'oauth2/v2.0/token') return this.token(rawBody);
    return undefined;
  }

  /** An admin-consent prompt as its URL asks it: the tenant segment and the query. */
  static consentRequest(tenant: string, query: URLSearchParams): ConsentRequest {
    return {
      tenant,
      clientId: query.get('client_id'),
      redirectUri: query.get('redirect_uri'),
      state: query.get('state'),
      scope: query.get('scope'),
      at: new Date(),
    };
  }

  /** The identity platform's error when the prompt has no usable redirect_uri; undefined when it has one. */
  static consentRequestProblem(request: ConsentRequest): LoginResponse | undefined {
    if (redirectOf(request)) return undefined;
    return {
      status: 400,
      headers: { 'Content-Type': 'application/json' },
      body: { error: 'invalid_request', error_description: 'AADSTS900144: redirect_uri is required.' },
    };
  }

  /**
   * Where the identity platform sends the browser once the admin answered the prompt: back to
   * redirect_uri with `admin_consent=True&tenant=…` (granted) or `error=access_denied&error_description=…`
   * (declined), and the request's `state`.
   */
  answerConsent(request: ConsentRequest, outcome: 'granted' | 'denied'): LoginResponse {
    const target = redirectOf(request);
    if (!target) return LoginEndpoints.consentRequestProblem(request) as LoginResponse;
    if (outcome === 'granted') {
      target.searchParams.set('admin_consent', 'True');
      target.searchParams.set('tenant', this.tenantId());
      if (request.scope !== null) target.searchParams.set('scope', request.scope);
    } else {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set(
        'error_description',
        'AADSTS65004: User declined to consent to access the app.',
      );
    }
    if (request.state !== null) target.searchParams.set('state', request.state);
    return { status: 302, headers: { Location: target.toString() } };
  }

  /** The simulator's prompt answers at once, as `consentOutcome` says. */
  private adminConsent(tenant: string, query: URLSearchParams): LoginResponse {
    const request = LoginEndpoints.consentRequest(tenant, query);
    this.consentRequests.push(request);
    return this.answerConsent(request, this.consentOutcome);
  }

  private token(rawBody: string): LoginResponse {
    const form = new URLSearchParams(rawBody);
    if (form.get('grant_type') !== 'client_credentials' || !form.get('client_id')) {
      return {
        status: 400,
        headers: { 'Content-Type': 'application/json' },
        body: {
          error: 'invalid_request',
          error_description: 'AADSTS900144: client_credentials and client_id are required.',
        },
      };
    }
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: `simulated.${randomBytes(24).toString('base64url')}`,
      },
    };
  }
}
