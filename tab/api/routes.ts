import type { AppServices } from '../../server/services';
import type { AnyRoute } from './route';
import { resultRoutes } from './routes/result-routes';
import { runRoutes } from './routes/run-routes';

/** Every route of the tab's API, in the order the OpenAPI document lists them. */
export function apiRoutes(): AnyRoute<AppServices>[] {
  return [...runRoutes(), ...resultRoutes()];
}
