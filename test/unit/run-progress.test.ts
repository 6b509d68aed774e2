import assert from 'node:assert/strict';
import type { RunRecord, StepTiming } from '../../core/runs/run-record.ts';
import { runView } from '../../tab/api/routes/run-routes.ts';
import type { Run } from '../../tab/web/src/api/types.ts';
import {
  STEPS,
  currentStep,
  progressSentence,
  stepState,
} from '../../tab/web/src/screens/runs/run-labels.ts';

const at = (s: number) => new Date(Date.UTC(2026, 5, 1, 2, 0, s)).toISOString();
const done = (step: StepTiming['step'], from: number, to: number): StepTiming => ({
  step,
  startedAt: at(from),
  finishedAt: at(to),
  durationMs: (to - from) * 1000,
});
const open = (step: StepTiming['step'], from: number): StepTiming => ({
  step,
  startedAt: at(from),
  finishedAt: null,
  durationMs: null,
});

/** A running run whose last progress write says `progress`, while `steps` went on. */
function record(
  progressStep: StepTiming['step'],
  steps: StepTiming[],
  status: RunRecord['status'] = 'running',
): RunRecord {
  return {
    runId: 'r1',
    tenantId: 't1',
    enrichmentId: 'sales',
    status,
    trigger: { kind: 'schedule', scheduledFor: at(0) },
    asOf: at(0),
    queuedAt: at(0),
    startedAt: at(0),
    finishedAt: status === 'running' ? null : at(60),
    durationMs: status === 'running' ? null : 60_000,
    attempt: 1,
    instanceId: 'i1',
    progress: {
      step: progressStep,
      mailboxesDone: 36,
      mailboxesTotal: 36,
      messages: 19_272,
      meetings: 2_303,
      updatedAt: at(30),
    },
    steps,
    counts: null,
    mailboxErrors: [],
    unknownEntries: [],
    daysCovered: null,
    error: status === 'failed' ? 'Cosmos DB refused a write' : null,
  };
}

const WRITING = [
  done('resolving-users', 0, 1),
  done('reading-mailboxes', 1, 20),
  done('aggregating', 20, 21),
  open('writing-results', 21),
];

describe('run progress: the step a run is in', () => {
  it('answers the step opened last when a progress write lags behind it (the API)', () => {
    // The "aggregating" progress write landed after the results started being written.
    const view = runView(record('aggregating', WRITING));
    assert.equal(view.progress?.step, 'writing-results');
    assert.equal('tenantId' in view, false);
    // In step: nothing changes.
    assert.equal(runView(record('writing-results', WRITING)).progress?.step, 'writing-results');
    // An ended run keeps its record as it is.
    const ended = record('aggregating', WRITING.slice(0, 3), 'succeeded');
    assert.equal(runView(ended).progress?.step, 'aggregating');
  });

  it('shows the same step in the list and the sentence, never "aggregating" while writing (the tab)', () => {
    const run = record('aggregating', WRITING) as unknown as Run;
    assert.equal(currentStep(run), 'writing-results');
    assert.deepEqual(
      STEPS.map((_, i) => stepState(run, i)),
      ['done', 'done', 'done', 'current'],
    );
    assert.equal(progressSentence(run), 'Step 4 of 4 · Writing the results…');
    const reading = record('reading-mailboxes', [
      done('resolving-users', 0, 1),
      open('reading-mailboxes', 1),
    ]);
    if (reading.progress) reading.progress.mailboxesDone = 3;
    assert.equal(
      progressSentence(reading as unknown as Run),
      'Step 2 of 4 · Reading the mailboxes: 3 of 36 mailboxes done.',
    );
    assert.deepEqual(
      STEPS.map((_, i) => stepState(reading as unknown as Run, i)),
      ['done', 'current', 'pending', 'pending'],
    );
  });

  it('marks the step a failed run stopped in, and every step of a successful run done', () => {
    const failed = record(
      'writing-results',
      [...WRITING.slice(0, 3), done('writing-results', 21, 22)],
      'failed',
    );
    assert.deepEqual(
      STEPS.map((_, i) => stepState(failed as unknown as Run, i)),
      ['done', 'done', 'done', 'failed'],
    );
    assert.equal(progressSentence(failed as unknown as Run), 'The run failed: Cosmos DB refused a write.');
    const succeeded = { ...record('writing-results', [], 'succeeded'), counts: null } as unknown as Run;
    assert.deepEqual(
      STEPS.map((_, i) => stepState(succeeded, i)),
      ['done', 'done', 'done', 'done'],
    );
  });
});
