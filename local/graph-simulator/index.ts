/** The Microsoft Graph simulator and its tenant sources. */
export {
  startGraphSimulator,
  type GraphSimulator,
  type GraphSimulatorOptions,
  type RequestLogEntry,
  type SimulatorStats,
} from './simulator';
export {
  DEFAULT_MAILBOX_CONCURRENCY_LIMIT,
  DEFAULT_MAILBOX_REQUEST_LIMIT,
  FaultController,
  type FaultKind,
  type FaultRule,
  type FaultSettings,
} from './faults';
export { MAX_BATCH_PARALLEL } from './batch';
export {
  fixtureFileTenantSource,
  fixtureTenantSource,
  type EventRecord,
  type MailboxContent,
  type MessageRecord,
  type TenantSource,
} from './tenant-source';
export {
  ensureTenantFixture,
  FixtureError,
  loadTenantFixture,
  parseTenantFixture,
  type GraphEvent,
  type GraphMessage,
  type GraphUser,
  type TenantFixture,
} from './fixture-schema';
export {
  demoTenant,
  generateTenant,
  GeneratedTenant,
  type CustomerDataset,
  type GenerateTenantOptions,
} from './generator';
export { wellKnownFolderId, WELL_KNOWN_FOLDERS, type WellKnownFolderName } from './mail-folders';
export { FILTERED_DELTA_CAP } from './mail-routes';
export type { SentMail } from './route-context';
export type { ConsentRequest } from './login-endpoints';
