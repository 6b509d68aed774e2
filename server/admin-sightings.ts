import type { NextFunction, Request, Response } from 'express';
import { AdminRepository } from '../core/store/admin-repository';
import type { AppServices } from './services';
import { errorMessage } from '../core/text/error-text';

/**
 * Express middleware after the identity: a request whose verified Teams SSO token carries the
 * admin role records its sender as an admin of that tenant, so that the bot (whose activities
 * carry no roles) lets them act on alerts. The write (at most one per admin every few minutes) is
 * done before the request goes on, so the bot knows the admin once the tab has answered; a failed
 * write never fails the request.
 */
export function adminSightings(services: Pick<AppServices, 'containers' | 'now'>) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const identity = req.identity;
    if (identity?.isAdmin && identity.source === 'teams-sso') {
      void new AdminRepository(services.containers.configurations, identity.tenantId)
        .sighted(identity.userId, identity.email, services.now())
        .catch((error: unknown) => console.warn(`[api] admin sighting not recorded: ${errorMessage(error)}`))
        .finally(next);
      return;
    }
    next();
  };
}
