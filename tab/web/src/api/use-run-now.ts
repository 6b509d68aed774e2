import { useState } from 'react';
import type { ApiProblem } from './client';
import { api } from './operations';
import type { Run, ScheduleInfo } from './types';
import { useResource } from './use-resource';

/** While a run is active, look again every second; otherwise every so often (a scheduled run may start). */
const ACTIVE_POLL_MS = 1000;
const IDLE_POLL_MS = 15_000;

export interface RunNow {
  schedule: ScheduleInfo | undefined;
  /** The queued or running run, if any (the one just started, until the schedule shows it). */
  active: Run | undefined;
  /** The latest run when it has finished. */
  last: Run | undefined;
  loading: boolean;
  /** The schedule could not be loaded. */
  problem: ApiProblem | undefined;
  /** The run could not be started (e.g. another one is active, or consent is missing). */
  startProblem: ApiProblem | undefined;
  starting: boolean;
  start(): Promise<void>;
  /** Reads again only the mailboxes that run could not read (`POST …/runs/{runId}/reread`). */
  reread(runId: string): Promise<void>;
}

/**
 * Starts runs of the enrichment (`POST …/runs`, or a re-read of a run's failed mailboxes) and
 * follows the latest one through its schedule
 * (`GET …/schedule`: the active run and the last finished one).
 */
export function useRunNow(enrichmentId: string, options: { enabled?: boolean } = {}): RunNow {
  const schedule = useResource(`run-now:${enrichmentId}`, (signal) => api.schedule(enrichmentId, signal), {
    enabled: options.enabled ?? true,
    pollMs: (data) => (data?.activeRun ? ACTIVE_POLL_MS : IDLE_POLL_MS),
  });
  const [starting, setStarting] = useState(false);
  const [startProblem, setStartProblem] = useState<ApiProblem>();
  const [started, setStarted] = useState<Run>();

  async function launch(starter: () => Promise<Run>) {
    setStarting(true);
    setStartProblem(undefined);
    try {
      setStarted(await starter());
    } catch (error) {
      setStartProblem(error as ApiProblem);
    } finally {
      setStarting(false);
      schedule.reload();
    }
  }

  const data = schedule.data;
  const latest = data?.lastRun ?? undefined;
  const finished = latest && latest.status !== 'queued' && latest.status !== 'running' ? latest : undefined;
  // The run just started is active until the schedule, loaded again, shows it (active or finished).
  const startedPending =
    started && data?.activeRun?.runId !== started.runId && latest?.runId !== started.runId;
  return {
    schedule: data,
    active: data?.activeRun ?? (startedPending ? started : undefined),
    last: finished,
    loading: schedule.loading && !schedule.data,
    problem: schedule.problem,
    startProblem,
    starting,
    start: () => launch(() => api.startRun(enrichmentId)),
    reread: (runId) => launch(() => api.rereadRun(enrichmentId, runId)),
  };
}
