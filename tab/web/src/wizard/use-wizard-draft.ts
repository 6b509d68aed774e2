import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiProblem } from '../api/client';
import { api } from '../api/operations';
import type { Enrichment, EnrichmentDraft } from '../api/types';
import { DEFAULT_ENTITY_NAME, STEPS, type EntryKinds, type EntryLabels, type StepId } from './wizard-model';

export type WizardMode = { kind: 'create' } | { kind: 'edit'; enrichment: Enrichment };

export interface WizardDraft {
  ready: boolean;
  loadProblem: ApiProblem | undefined;
  draft: EnrichmentDraft;
  /** Applies an edit to the latest draft; answers the draft before and after it. */
  update(change: (draft: EnrichmentDraft) => EnrichmentDraft): {
    before: EnrichmentDraft;
    after: EnrichmentDraft;
  };
  step: StepId;
  setStep(step: StepId): void;
  kinds: EntryKinds;
  rememberKinds(kinds: EntryKinds): void;
  /** Display names and group member counts of tracked entries, as the directory answered them. */
  labels: EntryLabels;
  rememberLabels(labels: EntryLabels): void;
  /** When the draft was last kept on the server (create mode). */
  keptAt: string | undefined;
  keepProblem: ApiProblem | undefined;
  /** Stops keeping the draft on the server (while saving); resolves once a keep under way has ended. */
  pauseKeeping(): Promise<void>;
  /** Keeps the draft on the server again, starting with the current one (after a failed save). */
  resumeKeeping(): void;
  /** Forgets the draft once the enrichment is saved. */
  clear(): void;
}

interface WizardState {
  draft: EnrichmentDraft;
  step: StepId;
  kinds: EntryKinds;
  labels: EntryLabels;
}

interface LocalCopy extends WizardState {
  changedAt: string;
}

const KEEP_DELAY_MS = 500;
const EMPTY_LABELS: EntryLabels = {};

const storageKey = (mode: WizardMode) =>
  mode.kind === 'create'
    ? 'account-engagement.wizard'
    : `account-engagement.wizard.${mode.enrichment.enrichmentId}`;

function readLocal(key: string): LocalCopy | undefined {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as LocalCopy) : undefined;
  } catch {
    return undefined;
  }
}

const isStep = (value: unknown): value is StepId => STEPS.some((s) => s.id === value);

/** The editable fields of a saved enrichment, as a draft. */
export function draftOf(enrichment: Enrichment): EnrichmentDraft {
  return {
    name: enrichment.name,
    entityName: enrichment.entityName,
    tracked: [...enrichment.tracked],
    consentStatement: { accepted: true },
    datasetId: enrichment.datasetId,
    mapping: {
      emailField: enrichment.mapping.emailField,
      domainField: enrichment.mapping.domainField ?? null,
      ownerField: enrichment.mapping.ownerField ?? null,
    },
    engagement: enrichment.engagement,
    staleThresholdDays: enrichment.staleThresholdDays,
    schedule: enrichment.schedule,
    region: enrichment.region,
    privacy: enrichment.privacy,
  };
}

/**
 * The wizard's input, kept as it changes: in this browser at once (so a reload never loses a
 * keystroke) and, for a new enrichment, on the server's draft too (so it follows the admin to
 * another device). On load the newer of the two wins.
 */
export function useWizardDraft(mode: WizardMode): WizardDraft {
  const key = storageKey(mode);
  const [state, setState] = useState<WizardState>();
  const [loadProblem, setLoadProblem] = useState<ApiProblem>();
  const [keptAt, setKeptAt] = useState<string>();
  const [keepProblem, setKeepProblem] = useState<ApiProblem>();
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const inFlight = useRef<Promise<unknown>>(Promise.resolve());
  const paused = useRef(false);
  const editSource = useRef(mode.kind === 'edit' ? mode.enrichment : undefined);

  useEffect(() => {
    const local = readLocal(key);
    const fromLocal = local && {
      draft: local.draft,
      step: isStep(local.step) ? local.step : 'overview',
      kinds: local.kinds ?? {},
      labels: local.labels ?? {},
    };
    const edited = editSource.current;
    if (edited) {
      setState(fromLocal ?? { draft: draftOf(edited), step: 'overview', kinds: {}, labels: {} });
      return;
    }
    const controller = new AbortController();
    api.draft(controller.signal).then(
      (answer) => {
        const serverNewer =
          answer.draft && (!local || (answer.updatedAt !== null && answer.updatedAt > local.changedAt));
        if (serverNewer && answer.draft) {
          setState({
            draft: answer.draft,
            step: fromLocal?.step ?? 'overview',
            kinds: fromLocal?.kinds ?? {},
            labels: fromLocal?.labels ?? {},
          });
          setKeptAt(answer.updatedAt ?? undefined);
        } else {
          setState(
            fromLocal ?? {
              draft: { entityName: DEFAULT_ENTITY_NAME, tracked: [] },
              step: 'overview',
              kinds: {},
              labels: {},
            },
          );
        }
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoadProblem(error instanceof ApiProblem ? error : new ApiProblem(0, 'ClientError', String(error)));
        setState(
          fromLocal ?? {
            draft: { entityName: DEFAULT_ENTITY_NAME, tracked: [] },
            step: 'overview',
            kinds: {},
            labels: {},
          },
        );
      },
    );
    return () => controller.abort();
  }, [key]);

  const keep = useCallback((draft: EnrichmentDraft) => {
    inFlight.current = api.keepDraft(draft).then(
      (answer) => {
        setKeptAt(answer.updatedAt ?? undefined);
        setKeepProblem(undefined);
      },
      (error: unknown) => setKeepProblem(error instanceof ApiProblem ? error : undefined),
    );
  }, []);

  const persist = useCallback(
    (next: WizardState, keepOnServer: boolean) => {
      const copy: LocalCopy = { ...next, changedAt: new Date().toISOString() };
      localStorage.setItem(key, JSON.stringify(copy));
      if (!keepOnServer || mode.kind !== 'create' || paused.current) return;
      clearTimeout(pending.current);
      pending.current = setTimeout(() => keep(next.draft), KEEP_DELAY_MS);
    },
    [key, mode.kind, keep],
  );

  useEffect(() => () => clearTimeout(pending.current), []);

  const current = useRef(state);
  current.current = state;

  /** Applies a change to the whole state and keeps it (the draft's content on the server too). */
  const change = useCallback(
    (apply: (state: WizardState) => WizardState, draftChanged: boolean) => {
      if (!current.current) return;
      const next = apply(current.current);
      current.current = next;
      setState(next);
      persist(next, draftChanged);
    },
    [persist],
  );

  const update = useCallback(
    (edit: (draft: EnrichmentDraft) => EnrichmentDraft) => {
      const before = current.current?.draft ?? {};
      const after = edit(before);
      change((s) => ({ ...s, draft: after }), true);
      return { before, after };
    },
    [change],
  );
  const setStep = useCallback((step: StepId) => change((s) => ({ ...s, step }), false), [change]);
  const rememberKinds = useCallback(
    (kinds: EntryKinds) => change((s) => ({ ...s, kinds: { ...s.kinds, ...kinds } }), false),
    [change],
  );
  const rememberLabels = useCallback(
    (labels: EntryLabels) => change((s) => ({ ...s, labels: { ...s.labels, ...labels } }), false),
    [change],
  );

  const pauseKeeping = useCallback(async () => {
    paused.current = true;
    clearTimeout(pending.current);
    await inFlight.current;
  }, []);

  const resumeKeeping = useCallback(() => {
    paused.current = false;
    if (mode.kind === 'create' && current.current) keep(current.current.draft);
  }, [mode.kind, keep]);

  const clear = useCallback(() => {
    clearTimeout(pending.current);
    localStorage.removeItem(key);
  }, [key]);

  return {
    ready: state !== undefined,
    loadProblem,
    draft: state?.draft ?? {},
    update,
    step: state?.step ?? 'overview',
    setStep,
    kinds: state?.kinds ?? {},
    rememberKinds,
    labels: state?.labels ?? EMPTY_LABELS,
    rememberLabels,
    keptAt,
    keepProblem,
    pauseKeeping,
    resumeKeeping,
    clear,
  };
}
