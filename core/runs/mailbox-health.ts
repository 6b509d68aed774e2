import type { MailboxResult } from '../graph/mailbox';

/**
 * How a run read a mailbox: completely, or not, because Graph refused it (401/403), kept throttling
 * it until the retries ran out (429), or failed otherwise.
 */
export const MAILBOX_HEALTH_STATUSES = ['ok', 'permission', 'throttled', 'failed'] as const;

export type MailboxHealthStatus = (typeof MAILBOX_HEALTH_STATUSES)[number];

/** One tracked mailbox as a run read it. */
export interface MailboxReading {
  mailboxId: string;
  address: string;
  displayName: string | null;
  status: MailboxHealthStatus;
  /** What went wrong, as Graph's answer was mapped (null when read completely). */
  problem: string | null;
  folders: number;
  messages: number;
  meetings: number;
}

/** A run's identity as the health of its mailboxes records it (a type, so that it is a JSON object to the store). */
export type ReadingRun = {
  runId: string;
  /** T of the run (ISO). */
  asOf: string;
};

/** A tracked mailbox's health after the last run that read it. */
export interface MailboxHealth extends MailboxReading {
  /** The run that read it last, whatever the outcome. */
  lastRun: ReadingRun;
  /** The last run that read it completely (null when none has). */
  lastRead: ReadingRun | null;
}

/** Mailboxes by status after the enrichment's last successful run. */
export interface MailboxHealthSummary {
  lastRun: ReadingRun;
  total: number;
  counts: Record<MailboxHealthStatus, number>;
}

export function healthStatusOf(result: MailboxResult): MailboxHealthStatus {
  if (result.status === 'ok') return 'ok';
  if (result.status === 'permission-denied') return 'permission';
  return result.error?.kind === 'throttled' ? 'throttled' : 'failed';
}

/** Each mailbox's reading, named as the directory knows its user. */
export function mailboxReadings(
  results: readonly MailboxResult[],
  users: readonly { id: string; address: string; displayName: string | null }[],
): MailboxReading[] {
  const byId = new Map(users.map((u) => [u.id, u]));
  return results.map((result) => {
    const user = byId.get(result.mailboxId);
    const status = healthStatusOf(result);
    return {
      mailboxId: result.mailboxId,
      address: user?.address ?? result.address ?? result.mailboxId,
      displayName: user?.displayName ?? null,
      status,
      problem: status === 'ok' ? null : (result.error?.message ?? 'not read completely'),
      folders: result.folders,
      messages: result.messages,
      meetings: result.meetings,
    };
  });
}

/** What the store keeps of a mailbox's last reads. */
export type StoredReads = Pick<MailboxHealth, 'lastRun' | 'lastRead'>;

/**
 * The health each mailbox has after `run`, keeping the last complete read of those it could not
 * read. A re-read (`readNow`: the mailboxes it read) leaves the others' reads as their run made them.
 */
export function nextHealth(
  run: ReadingRun,
  readings: readonly MailboxReading[],
  previous: ReadonlyMap<string, StoredReads>,
  readNow?: ReadonlySet<string>,
): MailboxHealth[] {
  return readings.map((reading) => {
    const before = previous.get(reading.mailboxId);
    if (readNow && !readNow.has(reading.mailboxId) && before) return { ...reading, ...before };
    return {
      ...reading,
      lastRun: run,
      lastRead: reading.status === 'ok' ? run : (before?.lastRead ?? null),
    };
  });
}

export function summarise(run: ReadingRun, health: readonly MailboxHealth[]): MailboxHealthSummary {
  const counts: Record<MailboxHealthStatus, number> = { ok: 0, permission: 0, throttled: 0, failed: 0 };
  for (const mailbox of health) counts[mailbox.status] += 1;
  return { lastRun: run, total: health.length, counts };
}
