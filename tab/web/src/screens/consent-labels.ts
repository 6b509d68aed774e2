import type { BadgeProps } from '@fluentui/react-components';
import type { ConsentState } from '../api/types';
import { formatDateTime } from '../ui/format';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** When a request was sent, to the second ("10:42:13 AM"; with the date when not today). */
export function formatSentAt(iso: string, now = new Date()): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString() ? timeFormat.format(at) : dateTimeFormat.format(at);
}

export const CONSENT_LABELS: Record<ConsentState['status'], string> = {
  'not-requested': 'Not requested',
  requested: 'Requested',
  granted: 'Granted',
  refused: 'Refused',
  revoked: 'Revoked',
};

export const CONSENT_COLORS: Record<ConsentState['status'], NonNullable<BadgeProps['color']>> = {
  'not-requested': 'informative',
  requested: 'warning',
  granted: 'success',
  refused: 'danger',
  revoked: 'danger',
};

/** The consent state in sentences: who was asked when, and what came of it. */
export function consentLines(consent: ConsentState): string[] {
  const lines: string[] = [];
  if (consent.requestedAt) {
    lines.push(
      `Requested from ${consent.requestedTo ?? 'the tenant admin'} on ${formatDateTime(consent.requestedAt)}${
        consent.requestedBy ? ` by ${consent.requestedBy.name}` : ''
      }.`,
    );
  }
  switch (consent.status) {
    case 'not-requested':
      lines.push('No request has been sent yet.');
      break;
    case 'requested':
      lines.push('Waiting for the tenant admin to answer.');
      break;
    case 'granted':
      lines.push(`Granted on ${formatDateTime(consent.grantedAt)}.`);
      break;
    case 'refused':
      lines.push(
        `Refused on ${formatDateTime(consent.refusedAt)}${consent.refusalReason ? `: ${consent.refusalReason}` : ''}.`,
      );
      break;
    case 'revoked':
      lines.push(
        `Revoked on ${formatDateTime(consent.revokedAt)}${consent.revokedBy ? ` by ${consent.revokedBy.name}` : ''}.`,
      );
      break;
  }
  return lines;
}
