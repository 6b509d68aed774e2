import type { NextFunction, Request, Response } from 'express';
import type { Settings } from '../core/config/settings';
import { ApiError } from '../tab/api/errors';

/** Who is calling the tab's API, and for which tenant. Always taken from a validated source. */
export interface Identity {
  tenantId: string;
  /** Entra object id (or the development identity's id). */
  userId: string;
  email: string;
  name: string;
  isAdmin: boolean;
  source: 'teams-sso' | 'development';
}

declare module 'express-serve-static-core' {
  interface Request {
    identity?: Identity;
  }
}

/** Resolves the caller's identity from the request, or throws an ApiError (401/403). */
export type IdentityResolver = (req: Request) => Promise<Identity>;

/** 401 with the `WWW-Authenticate` challenge that tells the client how to authenticate (RFC 6750). */
export class AuthenticationError extends ApiError {
  constructor(
    message: string,
    readonly challenge: string,
  ) {
    super(401, 'Unauthorized', message);
  }
}

/**
 * The development identity: only in local mode, for a request without a bearer token (a plain
 * browser outside Teams). Production never reaches this resolver.
 */
export function developmentIdentity(settings: Settings, tenantId: string): IdentityResolver {
  if (settings.APP_MODE !== 'local') {
    throw new Error('The development identity exists only in local mode (APP_MODE=local).');
  }
  const identity: Identity = {
    tenantId,
    userId: `dev:${settings.LOCAL_USER_EMAIL}`,
    email: settings.LOCAL_USER_EMAIL,
    name: settings.LOCAL_USER_NAME,
    isAdmin: settings.LOCAL_USER_ROLE === 'admin',
    source: 'development',
  };
  return () => Promise.resolve(identity);
}

/** Express middleware: attaches `req.identity` or answers with the resolver's error. */
export function identityMiddleware(resolve: IdentityResolver) {
  return (req: Request, res: Response, next: NextFunction) => {
    resolve(req).then(
      (identity) => {
        req.identity = identity;
        next();
      },
      (error: unknown) => {
        const apiError =
          error instanceof ApiError
            ? error
            : new AuthenticationError('A valid sign-in is required.', 'Bearer');
        if (apiError.status === 401) {
          res.setHeader(
            'WWW-Authenticate',
            apiError instanceof AuthenticationError ? apiError.challenge : 'Bearer',
          );
        }
        res.status(apiError.status).json(apiError.toJSON());
      },
    );
  };
}
