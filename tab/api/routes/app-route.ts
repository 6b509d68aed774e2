import type { AppServices } from '../../../server/services';
import { defineRoute, type RouteDefinition } from '../route';

/** `defineRoute` for the app's routes, whose handlers get the AppServices. */
export const appRoute = <P, Q, B>(route: RouteDefinition<P, Q, B, AppServices>) => defineRoute(route);
