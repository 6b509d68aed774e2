import type { StaleAlert } from '../../core/store/alert-store';

/** An open stale-account alert for `owner`, never tried: what the proactive sender's tests deliver. */
export function pendingAlert(
  owner: string,
  ids: { alertId: string; accountId: string; createdAt: string },
): StaleAlert {
  return {
    ...ids,
    enrichmentId: 'sales',
    entityName: 'Office',
    accountName: `Account ${ids.accountId}`,
    episodeRunId: 'run-2',
    staleSince: '2026-03-01T00:00:00.000Z',
    runId: 'run-2',
    asOf: '2026-03-01T00:00:00.000Z',
    thresholdDays: 60,
    daysSinceLastEmail: 75,
    daysSinceLastMeeting: null,
    engagementScore: 12,
    owner: { email: owner, source: 'owner-field' },
    ownerReason: null,
    status: 'open',
    closedAt: null,
    closedBy: null,
    delivery: { status: 'pending', attempts: 0 },
  };
}
