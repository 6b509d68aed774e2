import { useRef, useState } from 'react';
import { ApiProblem } from '../../api/client';
import { api, type AlertFilter } from '../../api/operations';
import type { Alert } from '../../api/types';
import { useResource } from '../../api/use-resource';

export const ALERT_PAGE_SIZE = 25;

export interface AlertPages {
  alerts: Alert[];
  /** False once the last page is shown. */
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  /** Why the first page did not load. */
  problem: ApiProblem | undefined;
  /** Why the last "more" did not load. */
  moreProblem: ApiProblem | undefined;
  /** Appends the next page. */
  loadMore(): void;
  /** Loads the first page again, dropping the pages added since. */
  reload(): void;
}

interface More {
  key: string;
  alerts: Alert[];
  nextPage: string | undefined;
}

/** The enrichment's alerts, newest first, one page and then as many more as asked for. */
export function useAlertPages(enrichmentId: string, filter: AlertFilter): AlertPages {
  const key = `alerts:${enrichmentId}:${filter.status ?? ''}:${filter.delivery ?? ''}`;
  const first = useResource(key, (signal) =>
    api.alerts(enrichmentId, { ...filter, pageSize: ALERT_PAGE_SIZE }, signal),
  );
  const [more, setMore] = useState<More>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreProblem, setMoreProblem] = useState<{ key: string; problem: ApiProblem }>();
  const request = useRef<AbortController>(undefined);

  const added = more?.key === key ? more : undefined;
  const nextPage = added ? added.nextPage : first.data?.nextPage;

  const loadMore = () => {
    if (!nextPage || loadingMore) return;
    const controller = new AbortController();
    request.current = controller;
    setLoadingMore(true);
    setMoreProblem(undefined);
    api
      .alerts(enrichmentId, { ...filter, pageSize: ALERT_PAGE_SIZE, page: nextPage }, controller.signal)
      .then(
        (page) => {
          if (controller.signal.aborted) return;
          setMore({ key, alerts: [...(added?.alerts ?? []), ...page.alerts], nextPage: page.nextPage });
          setLoadingMore(false);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          const problem =
            error instanceof ApiProblem ? error : new ApiProblem(0, 'ClientError', String(error));
          setMoreProblem({ key, problem });
          setLoadingMore(false);
        },
      );
  };

  const reload = () => {
    request.current?.abort();
    setMore(undefined);
    setMoreProblem(undefined);
    setLoadingMore(false);
    first.reload();
  };

  return {
    alerts: [...(first.data?.alerts ?? []), ...(added?.alerts ?? [])],
    hasMore: !!nextPage,
    loading: first.loading,
    loadingMore,
    problem: first.problem,
    moreProblem: moreProblem?.key === key ? moreProblem.problem : undefined,
    loadMore,
    reload,
  };
}
