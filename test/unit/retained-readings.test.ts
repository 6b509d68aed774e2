import assert from 'node:assert/strict';
import { Aggregator, DEFAULT_SETTINGS } from '../../core/engine/index.ts';
import type { MailboxResult } from '../../core/graph/mailbox.ts';
import type { RunReading } from '../../core/runs/enrichment-run.ts';
import { RetainedReadings, type ReadingBasis } from '../../core/runs/retained-readings.ts';
import { CONTEXT } from './engine-fixtures.test.ts';

const HOUR = 3_600_000;
const BASIS: ReadingBasis = { configVersion: 3, datasetImportedAt: '2026-11-30T08:00:00.000Z' };

function mailbox(mailboxId: string, status: MailboxResult['status']): MailboxResult {
  return { mailboxId, status, folders: 1, messages: 2, meetings: 1, skipped: 0, sources: [] };
}

/** A run's reading with the given mailbox outcomes. */
function reading(...statuses: MailboxResult['status'][]): RunReading {
  return {
    asOf: Date.parse('2026-12-01T00:00:00Z'),
    entityName: 'Office',
    settings: DEFAULT_SETTINGS,
    aggregator: new Aggregator(CONTEXT),
    users: [],
    unknownEntries: [],
    mailboxes: statuses.map((status, i) => mailbox(`m${i}`, status)),
  };
}

describe('readings kept for a re-read of failed mailboxes', () => {
  let now = 0;
  const readings = (options: { ttlMs?: number; maxBytes?: number } = {}) =>
    new RetainedReadings({ now: () => now, ...options });
  beforeEach(() => (now = Date.parse('2026-12-01T01:00:00Z')));

  it('keeps a reading with unread mailboxes for two hours, counting what is left to read', () => {
    const kept = readings();
    const broken = reading('ok', 'failed', 'permission-denied');
    kept.settle('t', 'sales', 'run-1', broken, BASIS);
    assert.deepEqual(kept.offer('t', 'sales'), {
      runId: 'run-1',
      mailboxes: 2,
      expiresAt: now + 2 * HOUR,
      basis: BASIS,
    });
    assert.equal(kept.reading('t', 'sales', 'run-1')?.reading, broken);
    assert.equal(kept.reading('t', 'sales', 'run-0'), undefined, 'only the run it was kept for');
    assert.equal(kept.offer('t', 'other'), undefined, 'per enrichment');
    assert.equal(kept.offer('u', 'sales'), undefined, 'per tenant');

    now += 2 * HOUR - 1;
    assert.equal(kept.offer('t', 'sales')?.runId, 'run-1');
    now += 1;
    assert.equal(kept.offer('t', 'sales'), undefined, 'gone at two hours');
    assert.equal(kept.reading('t', 'sales', 'run-1'), undefined);
  });

  it('drops the earlier reading when a later run read every mailbox, and replaces it when not', () => {
    const kept = readings();
    kept.settle('t', 'sales', 'run-1', reading('failed', 'ok'), BASIS);
    kept.settle('t', 'sales', 'run-2', reading('ok', 'ok'), BASIS);
    assert.equal(kept.offer('t', 'sales'), undefined);

    kept.settle('t', 'sales', 'run-3', reading('failed', 'ok'), BASIS);
    now += HOUR;
    const again = reading('ok', 'failed', 'failed');
    kept.settle('t', 'sales', 'run-4', again, BASIS);
    assert.deepEqual(kept.offer('t', 'sales'), {
      runId: 'run-4',
      mailboxes: 2,
      expiresAt: now + 2 * HOUR,
      basis: BASIS,
    });
    assert.equal(kept.reading('t', 'sales', 'run-3'), undefined);
  });

  it('holds readings within the memory budget, dropping the oldest first, and none larger than it', () => {
    const size = reading('failed').aggregator.footprint().approxBytes;
    assert.ok(size > 0);
    const kept = readings({ maxBytes: 2.5 * size, ttlMs: HOUR });
    kept.settle('t', 'a', 'run-a', reading('failed'), BASIS);
    kept.settle('t', 'b', 'run-b', reading('failed'), BASIS);
    kept.settle('t', 'c', 'run-c', reading('failed'), BASIS);
    assert.equal(kept.offer('t', 'a'), undefined);
    assert.deepEqual(
      ['b', 'c'].map((e) => kept.offer('t', e)?.expiresAt),
      [now + HOUR, now + HOUR],
    );
    kept.settle('t', 'b', 'run-b2', reading('failed'), BASIS);
    kept.settle('t', 'd', 'run-d', reading('failed'), BASIS);
    assert.equal(kept.offer('t', 'c'), undefined, 'c is now the oldest: b was kept again after it');
    assert.deepEqual(
      ['b', 'd'].map((e) => kept.offer('t', e)?.runId),
      ['run-b2', 'run-d'],
    );

    const small = readings({ maxBytes: size - 1 });
    small.settle('t', 'a', 'run-a', reading('failed'), BASIS);
    assert.equal(small.offer('t', 'a'), undefined, 'a reading larger than the budget is not kept');
  });

  it('keeps nothing when the lifetime is 0', () => {
    const none = readings({ ttlMs: 0 });
    none.settle('t', 'a', 'run-a', reading('failed'), BASIS);
    assert.equal(none.offer('t', 'a'), undefined);
  });
  it('never keeps a reading past its first run’s time, however often it is re-read', () => {
    const kept = readings();
    const first = reading('failed', 'failed');
    kept.settle('t', 'sales', 'run-1', first, BASIS);
    const until = kept.reading('t', 'sales', 'run-1')?.expiresAt;
    assert.equal(until, now + 2 * HOUR);
    now += HOUR;
    kept.settle('t', 'sales', 'reread-1', first, BASIS, until);
    assert.equal(kept.offer('t', 'sales')?.expiresAt, until);
    now = (until ?? 0) + 1;
    assert.equal(kept.offer('t', 'sales'), undefined);
  });

  it('says why a reading is gone: expired, dropped for memory, or too large to keep', () => {
    const size = reading('failed').aggregator.footprint().approxBytes;
    const kept = readings({ maxBytes: 1.5 * size, ttlMs: HOUR });
    kept.settle('t', 'a', 'run-a', reading('failed'), BASIS);
    kept.settle('t', 'b', 'run-b', reading('failed'), BASIS);
    assert.deepEqual(kept.droppedReading('t', 'a'), { runId: 'run-a', why: 'memory' });
    now += HOUR;
    kept.purge();
    assert.deepEqual(kept.droppedReading('t', 'b'), { runId: 'run-b', why: 'expired' });
    assert.equal(kept.offer('t', 'b'), undefined);

    const small = readings({ maxBytes: size - 1 });
    small.settle('t', 'c', 'run-c', reading('failed'), BASIS);
    assert.deepEqual(small.droppedReading('t', 'c'), { runId: 'run-c', why: 'too-large' });
    small.settle('t', 'c', 'run-d', reading('ok'), BASIS);
    assert.equal(small.droppedReading('t', 'c'), undefined, 'a later complete run leaves nothing to explain');

    kept.settle('t', 'e', 'run-e', reading('failed'), BASIS);
    kept.clear();
    assert.equal(kept.offer('t', 'e'), undefined, 'a stop drops every reading');
  });
});
