import { fork, type ChildProcess } from 'node:child_process';
import type { ThrottlingReport } from '../core/graph/limiter';
import type { MemoryPeak } from './memory';
import type { Workload } from './workload';

/** Messages between the benchmark's processes (the runner, the Graph simulator, one measured phase). */

/**
 * What the Graph simulator counted (`simulator.stats`): since it started, or, as a phase's figures,
 * the difference over the phase.
 */
export interface GraphCounts {
  /** HTTP requests (a `$batch` counts once; its items count in `batchItems`). */
  requests: number;
  batchItems: number;
  /** HTTP requests and batch items answered 429. */
  throttled: number;
  /** The simulator's fault counters (`stats.faults`: concurrency, rate, …), by name. */
  faults: Record<string, number>;
}

export type SimulatorRequest =
  { type: 'start'; workload: Workload; tls: { key: string; cert: string } } | { type: 'stats' };

export type SimulatorReply =
  | { type: 'ready'; url: string; tenantId: string; summary: string }
  | { type: 'stats'; graph: GraphCounts; rss: number; cpuMs: number };

export type PhaseName = 'ingest' | 'fetch' | 'aggregate';

export interface PhaseRequest {
  type: 'run';
  phase: PhaseName;
  workload: Workload;
  graph: { url: string; caPem: string; tenantId: string };
}

/** What throttling cost the product's Graph client in a phase (`graph.limiter.throttling()`). */
export interface ClientThrottling extends ThrottlingReport {
  /** The client's concurrency bounds before any 429 (their maximums): global and per mailbox. */
  globalMaximum: number;
  perMailboxMaximum: number;
}

/** One timed step of a phase. */
export interface StepFigure {
  name: string;
  ms: number;
  /** CPU time of the measured (product) process during the step. */
  cpuMs: number;
  messages?: number;
  meetings?: number;
  activities?: number;
  rows?: number;
  /** Counted mail folders read. */
  folders?: number;
  /** Peak memory during the step. */
  memory?: MemoryPeak;
}

export interface PhaseMessage {
  type: 'result';
  steps: StepFigure[];
  memory: MemoryPeak;
  /** The phases that read Graph (ingest, fetch). */
  throttling?: ClientThrottling;
}

/** `BENCH_CPU_PROF=<dir>` writes a CPU profile of every benchmark process there (open in Chrome DevTools). */
function profilerArgv(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval', '500'] : [];
}

/** Starts a TypeScript module of this folder in its own Node process, with an IPC channel. */
export function forkModule(name: string, execArgv: string[] = []): ChildProcess {
  return fork(new URL(name, import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx', ...execArgv, ...profilerArgv()],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next message of a child that satisfies `accept`; rejects when the child exits first. */
export function nextMessage<T>(child: ChildProcess, accept: (message: unknown) => message is T): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`benchmark process exited (${code ?? 'signal'}) before answering`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** A guard for one message type: `hasType<Extract<SimulatorReply, { type: 'ready' }>>('ready')`. */
export function hasType<T extends { type: string }>(type: T['type']): (message: unknown) => message is T {
  return (message: unknown): message is T =>
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
