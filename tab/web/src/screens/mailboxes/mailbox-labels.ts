import type { BadgeProps } from '@fluentui/react-components';
import type { MailboxStatus, MailboxSummary } from '../../api/types';
import { formatCount } from '../../ui/format';

export const MAILBOX_STATUSES: readonly MailboxStatus[] = ['ok', 'permission', 'throttled', 'failed'];

export const MAILBOX_STATUS_LABELS: Record<MailboxStatus, string> = {
  ok: 'Read',
  permission: 'No permission',
  throttled: 'Throttled',
  failed: 'Failed',
};

export const MAILBOX_STATUS_COLORS: Record<MailboxStatus, NonNullable<BadgeProps['color']>> = {
  ok: 'success',
  permission: 'danger',
  throttled: 'warning',
  failed: 'danger',
};

/** What each problem means for the admin, and what to do about it. */
export const MAILBOX_PROBLEM_HELP: Record<Exclude<MailboxStatus, 'ok'>, string> = {
  permission:
    'Microsoft Graph refused access: the app lacks admin consent, or an application access policy excludes the mailbox.',
  throttled:
    'Microsoft Graph kept throttling the mailbox until the retries ran out; the next run usually reads it.',
  failed: 'Reading stopped on another error; the message says which.',
};

const PROBLEM_WORDS: Record<Exclude<MailboxStatus, 'ok'>, string> = {
  permission: 'without permission',
  throttled: 'throttled',
  failed: 'failed',
};

export function isMailboxStatus(value: string | null): value is MailboxStatus {
  return (MAILBOX_STATUSES as readonly (string | null)[]).includes(value);
}

/** "All 12 tracked mailboxes were read completely." or "10 of 12 … completely: 1 without permission, 1 throttled." */
export function healthSentence(summary: MailboxSummary): string {
  const { total, counts } = summary;
  const noun = total === 1 ? 'tracked mailbox was' : 'tracked mailboxes were';
  if (counts.ok === total)
    return `${total === 1 ? 'The' : `All ${formatCount(total)}`} ${noun} read completely.`;
  const problems = MAILBOX_STATUSES.flatMap((status) =>
    status !== 'ok' && counts[status] > 0 ? [`${formatCount(counts[status])} ${PROBLEM_WORDS[status]}`] : [],
  );
  return `${formatCount(counts.ok)} of ${formatCount(total)} ${noun} read completely: ${problems.join(', ')}.`;
}
