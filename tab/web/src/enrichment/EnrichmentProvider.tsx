import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { ApiProblem } from '../api/client';
import { api } from '../api/operations';
import type { Enrichment } from '../api/types';
import { useResource } from '../api/use-resource';

export interface EnrichmentState {
  enrichments: readonly Enrichment[];
  /** The enrichment the screens show: the one chosen last, else the first. */
  current: Enrichment | undefined;
  loading: boolean;
  problem: ApiProblem | undefined;
  select(enrichmentId: string): void;
  reload(): void;
}

const STORAGE_KEY = 'account-engagement.enrichment';

const EnrichmentContext = createContext<EnrichmentState | undefined>(undefined);

/** The tenant's enrichments and the current one, shared by every screen. */
export function EnrichmentProvider(props: { children: ReactNode }) {
  const list = useResource('enrichments', (signal) => api.enrichments(signal));
  const [chosen, setChosen] = useState(() => localStorage.getItem(STORAGE_KEY) ?? undefined);
  const select = useCallback((enrichmentId: string) => {
    localStorage.setItem(STORAGE_KEY, enrichmentId);
    setChosen(enrichmentId);
  }, []);
  const enrichments = list.data?.enrichments;
  const value = useMemo<EnrichmentState>(() => {
    const all = enrichments ?? [];
    return {
      enrichments: all,
      current: all.find((e) => e.enrichmentId === chosen) ?? all[0],
      loading: list.loading && !enrichments,
      problem: list.problem,
      select,
      reload: list.reload,
    };
  }, [enrichments, chosen, list.loading, list.problem, list.reload, select]);
  return <EnrichmentContext value={value}>{props.children}</EnrichmentContext>;
}

export function useEnrichments(): EnrichmentState {
  const state = useContext(EnrichmentContext);
  if (!state) throw new Error('useEnrichments outside an EnrichmentProvider');
  return state;
}
