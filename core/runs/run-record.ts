import type { EnrichmentOutcome, RunProgress, RunStep } from './enrichment-run';

/**
 * A run's record in the `runs` container, written before the run starts and kept as its history.
 *
 *   queued → running → succeeded | failed
 *                    ↘ interrupted (the server stopped) → queued again on the next start, same run id
 */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';

/**
 * Why a run started: an admin's Run, the schedule, the first run after consent was granted, or an
 * admin's request to read again only the mailboxes an earlier run (`ofRunId`) could not read.
 */
export type RunTrigger =
  | { kind: 'manual'; userId: string; name: string; email: string }
  | { kind: 'schedule'; scheduledFor: string }
  | { kind: 'first-run-after-consent'; scheduledFor: string }
  | { kind: 'reread'; ofRunId: string; userId: string; name: string; email: string };

export interface StepTiming {
  step: RunStep;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface LiveProgress extends RunProgress {
  updatedAt: string;
}

export interface RunCounts {
  trackedUsers: number;
  mailboxesDone: number;
  mailboxesTotal: number;
  /** Email and meeting copies read from the mailboxes. */
  emailsRead: number;
  meetingsRead: number;
  /** Distinct emails and meetings that counted for at least one account. */
  emailsCounted: number;
  meetingsCounted: number;
  /** Accounts in the customer dataset. */
  accounts: number;
  /** Accounts with counted activity in the window. */
  accountsEnriched: number;
}

/** A mailbox that could not be read completely: refused by Graph (permission) or failed otherwise. */
export interface MailboxError {
  mailboxId: string;
  address?: string;
  kind: 'permission' | 'failure';
  message: string;
}

export interface RunRecord {
  runId: string;
  tenantId: string;
  enrichmentId: string;
  status: RunStatus;
  trigger: RunTrigger;
  /** T of the run (ISO), fixed when it is queued so that a resumed run computes the same rows. */
  asOf: string;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** From the first start to the end, across resumptions. */
  durationMs: number | null;
  /** 1 for the first execution, one more for each resumption after a restart. */
  attempt: number;
  /** The server instance executing (or last executing) the run. */
  instanceId: string;
  progress: LiveProgress | null;
  /** The current (or last) attempt's steps, in order. */
  steps: StepTiming[];
  counts: RunCounts | null;
  mailboxErrors: MailboxError[];
  /** Tracked entries that matched no user or group. */
  unknownEntries: string[];
  daysCovered: number | null;
  error: string | null;
}

export function newRunRecord(input: {
  runId: string;
  tenantId: string;
  enrichmentId: string;
  trigger: RunTrigger;
  now: number;
  instanceId: string;
  /** T, when it is not the moment the run is queued (a re-read keeps its run's). */
  asOf?: number;
}): RunRecord {
  const at = new Date(input.now).toISOString();
  return {
    runId: input.runId,
    tenantId: input.tenantId,
    enrichmentId: input.enrichmentId,
    status: 'queued',
    trigger: input.trigger,
    asOf: new Date(input.asOf ?? input.now).toISOString(),
    queuedAt: at,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    attempt: 1,
    instanceId: input.instanceId,
    progress: null,
    steps: [],
    counts: null,
    mailboxErrors: [],
    unknownEntries: [],
    daysCovered: null,
    error: null,
  };
}

/** Closes the open step at `now` and, when the step changed, opens the new one. */
export function advanceSteps(steps: readonly StepTiming[], step: RunStep | null, now: number): StepTiming[] {
  const last = steps.at(-1);
  if (last && last.step === step && last.finishedAt === null) return [...steps];
  const at = new Date(now).toISOString();
  const closed = steps.map((s) =>
    s.finishedAt === null ? { ...s, finishedAt: at, durationMs: now - Date.parse(s.startedAt) } : s,
  );
  return step ? [...closed, { step, startedAt: at, finishedAt: null, durationMs: null }] : closed;
}

/** The history fields of a finished run, from its outcome. */
export function outcomeFields(
  outcome: EnrichmentOutcome,
  progress: RunProgress | null,
): Pick<RunRecord, 'counts' | 'mailboxErrors' | 'unknownEntries' | 'daysCovered'> {
  return {
    counts: {
      trackedUsers: outcome.trackedUsers,
      mailboxesDone: progress?.mailboxesDone ?? outcome.trackedUsers,
      mailboxesTotal: progress?.mailboxesTotal ?? outcome.trackedUsers,
      emailsRead: outcome.totals.emailsRead,
      meetingsRead: outcome.totals.meetingsRead,
      emailsCounted: outcome.totals.emailsCounted,
      meetingsCounted: outcome.totals.meetingsCounted,
      accounts: outcome.totals.accounts,
      accountsEnriched: outcome.totals.accountsEngaged,
    },
    mailboxErrors: outcome.mailboxProblems.map((p) => ({
      mailboxId: p.mailboxId,
      ...(p.address ? { address: p.address } : {}),
      kind: p.status === 'permission-denied' ? 'permission' : 'failure',
      message: p.message,
    })),
    unknownEntries: outcome.unknownEntries,
    daysCovered: outcome.daysCovered,
  };
}

/** "started by Ana Diaz (ana@fabrikam.com)", "started by the schedule", … for messages. */
export function describeTrigger(trigger: RunTrigger): string {
  switch (trigger.kind) {
    case 'manual':
      return `started by ${trigger.name} (${trigger.email})`;
    case 'schedule':
      return 'started by the schedule';
    case 'first-run-after-consent':
      return 'started as the first run after consent';
    case 'reread':
      return `started by ${trigger.name} (${trigger.email}) to read again the mailboxes run ${trigger.ofRunId} could not read`;
  }
}
