import type { AccountDirectory } from './directory.ts';
import { hash53, SEED_CONTEXT } from './hash.ts';
import { buildReportingWindow, type ReportingWindow } from './periods.ts';
import type { TrackedUsers } from './tracked-users.ts';

/** Everything an aggregation depends on besides the activities: one per run. */
export interface EngineContext {
  readonly directory: AccountDirectory;
  readonly tracked: TrackedUsers;
  readonly window: ReportingWindow;
  /** Partials can only be merged when their keys are equal (same dataset, tracked users and T). */
  readonly key: number;
}

export interface EngineContextInput {
  directory: AccountDirectory;
  tracked: TrackedUsers;
  /** T, epoch milliseconds (UTC). */
  asOf: number;
}

export function createEngineContext(input: EngineContextInput): EngineContext {
  const window = buildReportingWindow(input.asOf);
  const key = hash53(
    `${input.directory.fingerprint}|${input.tracked.fingerprint}|${input.asOf}`,
    SEED_CONTEXT,
  );
  return Object.freeze({ directory: input.directory, tracked: input.tracked, window, key });
}
