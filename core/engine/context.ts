import type { AccountDirectory } from './directory.ts';
import { hash53, SEED_CONTEXT } from './hash.ts';
import { buildReportingWindow, type ReportingWindow } from './periods.ts';
import type { TrackedUsers } from './tracked-users.ts';

/** Everything an aggregation depends on besides the activities: one per run. */
export interface EngineContext {
  readonly directory: AccountDirectory;
  readonly tracked: TrackedUsers;
  readonly window: ReportingWindow;
  /** Whether private and confidential meetings count (the admin's setting; off by default). */
  readonly countPrivateMeetings: boolean;
  /** Partials can only be merged when their keys are equal (same dataset, tracked users, T and settings). */
  readonly key: number;
}

export interface EngineContextInput {
  directory: AccountDirectory;
  tracked: TrackedUsers;
  /** T, epoch milliseconds (UTC). */
  asOf: number;
  /** Default false: private and confidential meetings do not count. */
  countPrivateMeetings?: boolean;
}

export function createEngineContext(input: EngineContextInput): EngineContext {
  const window = buildReportingWindow(input.asOf);
  const countPrivateMeetings = input.countPrivateMeetings ?? false;
  const key = hash53(
    `${input.directory.fingerprint}|${input.tracked.fingerprint}|${input.asOf}|${countPrivateMeetings}`,
    SEED_CONTEXT,
  );
  return Object.freeze({
    directory: input.directory,
    tracked: input.tracked,
    window,
    countPrivateMeetings,
    key,
  });
}
