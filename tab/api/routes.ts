import type { AppServices } from '../../server/services';
import type { AnyRoute } from './route';
import { alertRoutes } from './routes/alert-routes';
import { configRoutes } from './routes/config-routes';
import { consentRoutes } from './routes/consent-routes';
import { datasetRoutes } from './routes/dataset-routes';
import { directoryRoutes } from './routes/directory-routes';
import { mailboxHealthRoutes } from './routes/mailbox-health-routes';
import { resultRoutes } from './routes/result-routes';
import { runRoutes } from './routes/run-routes';
import { segmentRoutes } from './routes/segment-routes';

/** Every route of the tab's API, in the order the OpenAPI document lists them. */
export function apiRoutes(): AnyRoute<AppServices>[] {
  return [
    ...configRoutes(),
    ...datasetRoutes(),
    ...consentRoutes(),
    ...directoryRoutes(),
    ...runRoutes(),
    ...mailboxHealthRoutes(),
    ...resultRoutes(),
    ...segmentRoutes(),
    ...alertRoutes(),
  ];
}
