import type { GraphConnection } from './client.ts';
import {
  ingestionWindow,
  ingestMailbox,
  type IngestionSink,
  type IngestionWindow,
  type MailboxIngestionOptions,
  type MailboxRef,
  type MailboxResult,
} from './mailbox.ts';

/**
 * A run's ingestion: every tracked mailbox, several at a time, into one sink, with progress and a
 * summary. A mailbox that fails (403 included) is recorded in the summary and the others go on.
 */

export interface IngestionProgress {
  mailboxesDone: number;
  mailboxesTotal: number;
  messages: number;
  meetings: number;
}

export interface IngestionOptions {
  /** T (default: now). */
  asOf?: Date | number;
  windowDays?: number;
  lookaheadDays?: number;
  pageSize?: number;
  /** Mailboxes read at once (default: enough to keep the client's global request limit busy). */
  mailboxConcurrency?: number;
  onProgress?: (progress: IngestionProgress) => void;
  signal?: AbortSignal;
}

export interface IngestionSummary {
  window: IngestionWindow;
  /** One result per mailbox, in the order given. */
  mailboxes: MailboxResult[];
  messages: number;
  meetings: number;
  skipped: number;
  /** Mailboxes Graph refused (401/403): missing consent or an application access policy. */
  permissionProblems: MailboxResult[];
  /** Mailboxes that failed otherwise (not found, retries exhausted, …). */
  failures: MailboxResult[];
}

export async function ingestMailboxes(
  graph: GraphConnection,
  mailboxes: readonly MailboxRef[],
  sink: IngestionSink,
  options: IngestionOptions,
): Promise<IngestionSummary> {
  const asOf = options.asOf === undefined ? graph.clock.now() : new Date(options.asOf).getTime();
  const window = ingestionWindow(asOf, options.windowDays, options.lookaheadDays);
  // A mailbox keeps its own few requests in flight only part of the time (while it walks its folder
  // tree, one level at a time), so twice as many mailboxes as that take to fill the global limit.
  const { global, perKey } = graph.limiter.settings;
  const concurrency = options.mailboxConcurrency ?? Math.max(1, Math.ceil((2 * global) / perKey));
  const progress: IngestionProgress = {
    mailboxesDone: 0,
    mailboxesTotal: mailboxes.length,
    messages: 0,
    meetings: 0,
  };
  const report = (): void => options.onProgress?.({ ...progress });
  const mailboxOptions: MailboxIngestionOptions = {
    window,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    onPage: (messages, meetings) => {
      progress.messages += messages;
      progress.meetings += meetings;
      report();
    },
  };

  // Stops the other workers when one fails (credentials, the sink) or the caller aborts.
  const stop = new AbortController();
  const forwardAbort = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) forwardAbort();
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  mailboxOptions.signal = stop.signal;

  const results: MailboxResult[] = new Array<MailboxResult>(mailboxes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < mailboxes.length) {
      stop.signal.throwIfAborted();
      const index = next++;
      const mailbox = mailboxes[index];
      if (!mailbox) continue;
      results[index] = await ingestMailbox(graph, mailbox, sink, mailboxOptions);
      progress.mailboxesDone += 1;
      report();
    }
  };
  report();
  const outcomes = await Promise.allSettled(
    Array.from({ length: Math.min(concurrency, mailboxes.length) }, () =>
      worker().catch((error: unknown) => {
        stop.abort(error);
        throw error;
      }),
    ),
  );
  options.signal?.removeEventListener('abort', forwardAbort);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw stop.signal.reason ?? failed.reason;

  return {
    window,
    mailboxes: results,
    messages: results.reduce((n, r) => n + r.messages, 0),
    meetings: results.reduce((n, r) => n + r.meetings, 0),
    skipped: results.reduce((n, r) => n + r.skipped, 0),
    permissionProblems: results.filter((r) => r.status === 'permission-denied'),
    failures: results.filter((r) => r.status === 'failed'),
  };
}
