import type { Request } from 'express';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { ProductionSettings } from '../core/config/settings';
import { ApiError, forbidden } from '../tab/api/errors';
import { AuthenticationError, type Identity, type IdentityResolver } from './identity';
import { errorMessage } from '../core/text/error-text';

/** The delegated scope the tab's token must carry (aad.manifest.json `oauth2PermissionScopes`). */
export const SSO_SCOPE = 'access_as_user';
/** The app role that makes a user an admin of the product (aad.manifest.json `appRoles`). */
export const ADMIN_ROLE = 'EngagementAdmin';

const LOGIN_HOST = 'https://login.microsoftonline.com';
/** Room for clocks that disagree between Entra ID and this server. */
const CLOCK_TOLERANCE_SECONDS = 60;

export interface TeamsSsoOptions {
  /** The Entra app's client id (the API the tab's token is issued for). */
  clientId: string;
  /** Host of the tab (TAB_DOMAIN), part of the app id URI `api://<host>/<client id>`. */
  tabDomain: string;
  /** Lower-case tenant ids whose users may sign in. */
  allowedTenantIds: readonly string[];
  /** Where Entra ID publishes its signing keys. */
  jwksUrl: URL;
}

export function teamsSsoOptions(settings: ProductionSettings): TeamsSsoOptions {
  const homeTenant = settings.TEAMS_APP_TENANT_ID.toLowerCase();
  return {
    clientId: settings.AAD_APP_CLIENT_ID,
    tabDomain: new URL(settings.TAB_ENDPOINT).host,
    allowedTenantIds: settings.TEAMS_SSO_ALLOWED_TENANTS ?? [homeTenant],
    jwksUrl: new URL(settings.TEAMS_SSO_JWKS_URL ?? `${LOGIN_HOST}/${homeTenant}/discovery/v2.0/keys`),
  };
}

/** jose errors that say the token itself is unusable; any other failure is ours (keys unreachable). */
const TOKEN_ERRORS = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
];

function invalidToken(message: string): AuthenticationError {
  return new AuthenticationError(message, 'Bearer error="invalid_token"');
}

function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  if (!header) {
    throw new AuthenticationError(
      'A Teams sign-in is required: open the app in Teams, which sends its single sign-on token.',
      'Bearer',
    );
  }
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  if (!match?.[1]) throw invalidToken('The Authorization header is not a bearer token.');
  return match[1];
}

function explain(error: unknown): ApiError {
  if (error instanceof errors.JWTExpired) {
    return invalidToken('The sign-in has expired: reopen the app in Teams.');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalidToken(`The token's "${error.claim}" claim is not accepted by this app.`);
  }
  if (TOKEN_ERRORS.some((kind) => error instanceof kind)) {
    return invalidToken('The token is not a valid Entra ID token for this app.');
  }
  console.error(`[identity] cannot check a Teams token: ${errorMessage(error)}`);
  return new ApiError(
    503,
    'ServiceUnavailable',
    'The sign-in cannot be checked right now (Entra ID signing keys unreachable). Try again shortly.',
  );
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value ? value : undefined;
}

function identityFrom(payload: JWTPayload, options: TeamsSsoOptions): Identity {
  const tid = stringClaim(payload, 'tid');
  const userId = stringClaim(payload, 'oid');
  if (!tid || !userId) throw invalidToken('The token names no tenant or user.');
  // Entra ID issues v2.0 tokens for this app (requestedAccessTokenVersion 2); the issuer names the tenant.
  if (payload.iss !== `${LOGIN_HOST}/${tid}/v2.0`) {
    throw invalidToken('The token\'s "iss" claim is not accepted by this app.');
  }
  const scopes = (stringClaim(payload, 'scp') ?? '').split(' ');
  if (!scopes.includes(SSO_SCOPE)) {
    throw invalidToken(`The token does not grant the "${SSO_SCOPE}" scope.`);
  }
  const tenantId = tid.toLowerCase();
  if (!options.allowedTenantIds.includes(tenantId)) {
    throw forbidden('Your organization is not set up to use Account engagement.');
  }
  const roles = Array.isArray(payload.roles) ? payload.roles : [];
  const email =
    stringClaim(payload, 'preferred_username') ??
    stringClaim(payload, 'upn') ??
    stringClaim(payload, 'email') ??
    '';
  return {
    tenantId,
    userId,
    email,
    name: stringClaim(payload, 'name') ?? email,
    isAdmin: roles.includes(ADMIN_ROLE),
    source: 'teams-sso',
  };
}

/**
 * Production identity: the Teams SSO access token in `Authorization: Bearer`, verified against
 * Entra ID's signing keys. The tenant comes only from the verified token.
 */
export function teamsSsoIdentity(options: TeamsSsoOptions): IdentityResolver {
  const keys = createRemoteJWKSet(options.jwksUrl);
  const audiences = [options.clientId, `api://${options.tabDomain}/${options.clientId}`];
  return async (req) => {
    const token = bearerToken(req);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        audience: audiences,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iss', 'tid', 'oid'],
      }));
    } catch (error) {
      throw explain(error);
    }
    return identityFrom(payload, options);
  };
}
