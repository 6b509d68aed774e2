import assert from 'node:assert/strict';
import fc from 'fast-check';
import { iso } from '../../core/engine/iso-instant.ts';

describe('engine ISO instants', () => {
  it('formats every instant exactly as Date#toISOString does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (t) => {
        assert.equal(iso(t), new Date(t).toISOString());
      }),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), (t) => {
        assert.equal(iso(t), new Date(t).toISOString());
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps the edges of days, leap days, years and fractional instants right', () => {
    const edges = [
      0,
      86_399_999,
      86_400_000,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2025, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      -1,
      1_700_000_000_000.5,
    ];
    for (const t of edges) assert.equal(iso(t), new Date(t).toISOString(), String(t));
  });
});
