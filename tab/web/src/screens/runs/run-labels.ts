import type { BadgeProps } from '@fluentui/react-components';
import type { Run, RunStep, ScheduleInfo } from '../../api/types';

export const STEPS: readonly { step: RunStep; label: string }[] = [
  { step: 'resolving-users', label: 'Resolve tracked users' },
  { step: 'reading-mailboxes', label: 'Read mailboxes' },
  { step: 'aggregating', label: 'Aggregate per account' },
  { step: 'writing-results', label: 'Write results' },
];

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

/** One sentence for screen readers and the progress pane's header. */
export function progressSentence(run: Run): string {
  if (run.status === 'queued') return 'The run is queued and starts in a moment.';
  if (run.status === 'succeeded')
    return `The run succeeded: ${run.counts?.accountsEnriched ?? 0} customers enriched.`;
  if (run.status === 'failed') return `The run failed: ${run.error ?? 'no reason given'}.`;
  if (run.status === 'interrupted') return 'The run was interrupted.';
  const progress = run.progress;
  if (!progress) return 'The run is starting.';
  const step = STEPS.find((s) => s.step === progress.step)?.label ?? progress.step;
  return progress.step === 'reading-mailboxes'
    ? `${step}: ${progress.mailboxesDone} of ${progress.mailboxesTotal} mailboxes done.`
    : `${step}.`;
}
