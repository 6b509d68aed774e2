import type { BadgeProps } from '@fluentui/react-components';
import type { Run, RunStep, ScheduleInfo } from '../../api/types';

/** A run's steps in order: `label` for the step list, `doing` for the sentence while it is under way. */
export const STEPS: readonly { step: RunStep; label: string; doing: string }[] = [
  { step: 'resolving-users', label: 'Find the tracked users', doing: 'Finding the tracked users' },
  { step: 'reading-mailboxes', label: 'Read the mailboxes', doing: 'Reading the mailboxes' },
  { step: 'aggregating', label: 'Count and score each account', doing: 'Counting and scoring each account' },
  { step: 'writing-results', label: 'Write the results', doing: 'Writing the results' },
];

/**
 * The step a run is in: the step it opened last (`steps`, whose last entry without an end is the
 * one under way), else what its progress says; undefined before the first step and after the end.
 * The two can disagree for a moment (a progress write lands after the next step was opened);
 * the open step is the newer of the two.
 */
export function currentStep(run: Run): RunStep | undefined {
  if (!isActive(run)) return undefined;
  const open = run.steps.findLast((s) => s.finishedAt === null);
  return open?.step ?? run.progress?.step;
}

export type StepState = 'done' | 'current' | 'failed' | 'pending';

/**
 * A step's state, from one source for the whole list: the step under way is `currentStep` (the
 * same the sentence names), the steps before it are done; a run that stopped stopped in its last
 * step.
 */
export function stepState(run: Run, index: number): StepState {
  const step = STEPS[index]?.step;
  const record = run.steps.find((s) => s.step === step);
  if (run.status === 'succeeded') return 'done';
  if (run.status === 'failed' || run.status === 'interrupted') {
    if (record && run.steps.at(-1)?.step === step) return 'failed';
    return record ? 'done' : 'pending';
  }
  const now = STEPS.findIndex((s) => s.step === currentStep(run));
  if (now < 0) return 'pending';
  return index < now ? 'done' : index === now ? 'current' : 'pending';
}

/** "Step 2 of 4" for a step, undefined for none. */
export function stepPosition(step: RunStep | undefined): string | undefined {
  const index = STEPS.findIndex((s) => s.step === step);
  return index < 0 ? undefined : `Step ${index + 1} of ${STEPS.length}`;
}

export const STATUS_LABELS: Record<Run['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export const STATUS_COLORS: Record<Run['status'], NonNullable<BadgeProps['color']>> = {
  queued: 'informative',
  running: 'brand',
  succeeded: 'success',
  failed: 'danger',
  interrupted: 'warning',
};

export const isActive = (run: Run): boolean => run.status === 'queued' || run.status === 'running';

export function triggerLabel(run: Run): string {
  switch (run.trigger.kind) {
    case 'manual':
      return `Started by ${run.trigger.name}`;
    case 'schedule':
      return 'Scheduled';
    case 'first-run-after-consent':
      return 'First run after consent';
    case 'reread':
      return `Failed mailboxes read again by ${run.trigger.name}`;
  }
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const hour = (h: number) => `${String(h).padStart(2, '0')}:00 UTC`;

/** "Weekly on Monday at 02:00 UTC". */
export function cadenceLabel(
  schedule: Pick<ScheduleInfo, 'cadence' | 'hourUtc' | 'dayOfWeek' | 'dayOfMonth'>,
): string {
  switch (schedule.cadence) {
    case 'daily':
      return `Daily at ${hour(schedule.hourUtc)}`;
    case 'weekly':
      return `Weekly on ${DAYS[schedule.dayOfWeek ?? 1]} at ${hour(schedule.hourUtc)}`;
    case 'monthly':
      return `Monthly on day ${schedule.dayOfMonth ?? 1} at ${hour(schedule.hourUtc)}`;
    case 'off':
      return 'Off: runs start only with Run now';
  }
}

/** One sentence for screen readers and the progress pane's header: where the run is, in words. */
export function progressSentence(run: Run): string {
  if (run.status === 'queued') return 'The run is queued and starts in a moment.';
  if (run.status === 'succeeded') {
    const counts = run.counts;
    return counts
      ? `The run succeeded: ${counts.accountsEnriched.toLocaleString()} of ${counts.accounts.toLocaleString()} customers enriched (had counted email or meetings).`
      : 'The run succeeded.';
  }
  if (run.status === 'failed') return `The run failed: ${run.error ?? 'no reason given'}.`;
  if (run.status === 'interrupted') return 'The run was interrupted; it is resumed shortly.';
  const step = currentStep(run);
  const info = STEPS.find((s) => s.step === step);
  if (!info) return 'The run is starting.';
  const where = `${stepPosition(step) ?? ''} · ${info.doing}`;
  const progress = run.progress;
  return step === 'reading-mailboxes' && progress
    ? `${where}: ${progress.mailboxesDone} of ${progress.mailboxesTotal} mailboxes done.`
    : `${where}…`;
}
