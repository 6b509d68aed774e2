import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiProblem } from './client';
import { errorMessage } from '../../../../core/text/error-text';

export interface Resource<T> {
  data: T | undefined;
  problem: ApiProblem | undefined;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload(): void;
}

export interface ResourceOptions<T> {
  /** Milliseconds until the next load after an answer, or undefined to stop polling (e.g. once a run ends). */
  pollMs?: (data: T | undefined) => number | undefined;
  /** Nothing is loaded while false. */
  enabled?: boolean;
  /** Keep showing the previous key's data until the new key's arrives (e.g. a live count). */
  keepData?: boolean;
}

function asProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return new ApiProblem(0, 'ClientError', errorMessage(error));
}

/** Loads from the API when `key` changes (and on `reload()`), optionally polling while `pollMs` says so. */
export function useResource<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  options: ResourceOptions<T> = {},
): Resource<T> {
  const [state, setState] = useState<{ key: string; data?: T; problem?: ApiProblem; loading: boolean }>({
    key,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  const pollRef = useRef(options.pollMs);
  loadRef.current = load;
  pollRef.current = options.pollMs;
  const enabled = options.enabled ?? true;

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      setState((s) => ({
        ...s,
        key,
        loading: true,
        ...(s.key === key || options.keepData ? {} : { data: undefined }),
      }));
      loadRef.current(controller.signal).then(
        (data) => {
          if (controller.signal.aborted) return;
          setState({ key, data, loading: false });
          const next = pollRef.current?.(data);
          if (next !== undefined) timer = setTimeout(run, next);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState((s) => ({ ...s, key, problem: asProblem(error), loading: false }));
          const next = pollRef.current?.(undefined);
          if (next !== undefined) timer = setTimeout(run, next);
        },
      );
    };
    run();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [key, generation, enabled]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.key === key;
  return {
    data: current || options.keepData ? state.data : undefined,
    problem: current ? state.problem : undefined,
    loading: enabled && (!current || state.loading),
    reload,
  };
}
