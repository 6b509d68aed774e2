import type { Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Settings } from '../core/config/settings';
import { ApiError } from '../tab/api/errors';

/**
 * Limits the tab's API per signed-in user (tenant and user id), so one busy tenant or user cannot
 * starve the others. Mounted after the identity middleware: unauthenticated requests never get here.
 */
export function apiRateLimit(settings: Settings) {
  const windowSeconds = settings.API_RATE_LIMIT_WINDOW_SECONDS;
  return rateLimit({
    windowMs: windowSeconds * 1000,
    limit: settings.API_RATE_LIMIT,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req: Request) => {
      const identity = req.identity;
      if (!identity) throw new Error('The rate limit needs the identity middleware before it.');
      return `${identity.tenantId}:${identity.userId}`;
    },
    handler: (_req: Request, res: Response) => {
      const error = new ApiError(
        429,
        'TooManyRequests',
        `Too many requests: at most ${settings.API_RATE_LIMIT} every ${windowSeconds} s. Wait for the time in Retry-After, then try again.`,
      );
      res.status(error.status).json(error.toJSON());
    },
  });
}
