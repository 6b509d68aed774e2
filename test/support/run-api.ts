import assert from 'node:assert/strict';
import { DAY_MS } from '../../core/time/durations';
import type { TestApp } from './test-app';

/** A run as the API answers it (the fields tests read). */
export interface RunView {
  runId: string;
  status: string;
  trigger: { kind: string; name?: string; email?: string; scheduledFor?: string };
  asOf: string;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  attempt: number;
  progress: { step: string; mailboxesDone: number; mailboxesTotal: number; messages: number } | null;
  steps: { step: string; durationMs: number | null }[];
  counts: Record<string, number> | null;
  mailboxErrors: { mailboxId: string; address?: string; kind: string; message: string }[];
  daysCovered: number | null;
  error: string | null;
}

export interface ScheduleView {
  cadence: string;
  nextRun: { at: string; trigger: string; due: boolean } | null;
  activeRun: RunView | null;
  lastRun: RunView | null;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

export { DAY_MS, HOUR_MS } from '../../core/time/durations';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a run through the API until it ended and returns it; every state seen goes to `seen`. */
export async function watchRun(
  app: TestApp,
  enrichmentId: string,
  runId: string,
  seen: RunView[] = [],
): Promise<RunView> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await app.api<RunView>('GET', `/api/enrichments/${enrichmentId}/runs/${runId}`);
    assert.equal(answer.status, 200);
    seen.push(answer.body);
    if (!['queued', 'running'].includes(answer.body.status)) return answer.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end: ${JSON.stringify(answer.body)}`);
    await sleep(50);
  }
}

/** Starts a run through the API and waits for its end. */
export async function runToEnd(app: TestApp, enrichmentId: string): Promise<RunView> {
  const started = await app.api<RunView>('POST', `/api/enrichments/${enrichmentId}/runs`);
  assert.equal(started.status, 202, JSON.stringify(started.body));
  return watchRun(app, enrichmentId, started.body.runId);
}

/** The first Monday 02:00 UTC (the default weekly slot) strictly after `after`, found day by day. */
export function nextMonday2am(after: number): number {
  const day = new Date(after);
  let slot = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 2);
  while (slot <= after || new Date(slot).getUTCDay() !== 1) slot += DAY_MS;
  return slot;
}
