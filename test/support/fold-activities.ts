import type { Activity, Aggregator } from '../../core/engine/index.ts';

/** Folds every activity into the aggregator, as ingestion does one event at a time, and returns it. */
export function foldInto(aggregator: Aggregator, activities: Iterable<Activity>): Aggregator {
  for (const activity of activities) aggregator.add(activity);
  return aggregator;
}
