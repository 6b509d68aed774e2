import type { Request, Response } from 'express';
import { errorMessage } from '../../core/text/error-text';

/** Resolves with details worth showing (e.g. counts), or rejects with what is wrong. */
export type DependencyCheck = () => Promise<Record<string, unknown>>;

export interface DependencyState {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  [detail: string]: unknown;
}

const CHECK_TIMEOUT_MS = 5_000;

async function probe(check: DependencyCheck): Promise<DependencyState> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const details = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started), ...details };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: errorMessage(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /api/health`: 200 when every dependency answers, 503 otherwise; the body says which. */
export function healthRoute(checks: Record<string, DependencyCheck>, mode: string) {
  return async (_req: Request, res: Response) => {
    const entries = Object.entries(checks);
    const states = await Promise.all(entries.map(([, check]) => probe(check)));
    const dependencies = Object.fromEntries(entries.map(([name], i) => [name, states[i]]));
    const healthy = states.every((state) => state.status === 'up');
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'healthy' : 'degraded',
      mode,
      time: new Date().toISOString(),
      dependencies,
    });
  };
}
