import type { Settings } from '../core/config/settings';
import type { GraphConnection } from '../core/graph/client';
import type { RunService } from '../core/runs/run-service';
import type { Containers } from '../core/store/containers';

/**
 * What the API's handlers work with. One instance per server process; every handler scopes its
 * reads and writes to the caller's tenant (from `identity.tenantId`).
 */
export interface AppServices {
  settings: Settings;
  containers: Containers;
  graph: GraphConnection;
  /** Epoch milliseconds; replaced in tests to move time. */
  now(): number;
  /** Runs, their lease and the scheduler; modules register follow-ups on `runs.onRunSucceeded`. */
  runs: RunService;
}
