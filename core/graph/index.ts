/**
 * Microsoft Graph ingestion: the client factory, tracked-user resolution and mailbox streaming.
 */
export {
  createGraphClient,
  GRAPH_PRODUCTION_URL,
  productionGraphSettings,
  simulatorGraphSettings,
  type GraphAuth,
  type GraphClientSettings,
  type GraphConnection,
} from './client.ts';
export { systemClock, type Clock } from './clock.ts';
export {
  GraphBadRequestError,
  GraphCredentialsError,
  GraphIngestionError,
  GraphNetworkError,
  GraphNotFoundError,
  GraphPermissionError,
  GraphThrottledError,
  GraphUnavailableError,
  GraphUnexpectedError,
  type GraphErrorKind,
} from './errors.ts';
export {
  ingestMailboxes,
  type IngestionOptions,
  type IngestionProgress,
  type IngestionSummary,
} from './ingest.ts';
export {
  CALENDAR_SOURCE,
  ingestionWindow,
  ingestMailbox,
  type IngestionEvent,
  type IngestionSink,
  type IngestionWindow,
  type MailboxIngestionOptions,
  type MailboxRef,
  type MailboxResult,
  type MailboxStatus,
  type SourceResult,
} from './mailbox.ts';
export { countedMailFolders, EXCLUDED_WELL_KNOWN_FOLDERS, type CountedFolder } from './mail-folders.ts';
export type { RetryEvent } from './middleware.ts';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';
export {
  MAX_TRACKED_USERS,
  MIN_TRACKED_USERS,
  resolveTrackedUsers,
  TrackedUsersError,
  type ResolveTrackedUsersOptions,
  type TrackedGroup,
  type TrackedUser,
  type TrackedUsersResolution,
} from './tracked-users.ts';
