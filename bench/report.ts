import os from 'node:os';
import type { MemoryPeak } from './memory';
import type { ClientThrottling, GraphCounts, StepFigure } from './ipc';

export interface PhaseResult {
  steps: StepFigure[];
  memory: MemoryPeak;
  /** What throttling cost the product's Graph client (phases that read Graph). */
  throttling?: ClientThrottling;
  /** What the simulator counted during the phase (phases that read Graph). */
  simulator?: GraphCounts;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perSecond = (count: number, ms: number) =>
  ms > 0 ? `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s` : '–';
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString('en-US');

export function machineLine(): string {
  const cpus = os.cpus();
  return (
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, ` +
    `Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`
  );
}

function stepTable(steps: readonly StepFigure[]): string[] {
  return steps.map((s) => {
    const counts = [
      s.messages !== undefined ? `${s.messages.toLocaleString('en-US')} emails` : '',
      s.meetings !== undefined ? `${s.meetings.toLocaleString('en-US')} meetings` : '',
      s.activities !== undefined ? `${s.activities.toLocaleString('en-US')} activities` : '',
      s.rows !== undefined ? `${s.rows.toLocaleString('en-US')} rows` : '',
      s.folders !== undefined ? `${s.folders.toLocaleString('en-US')} folders` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const peak = s.memory ? `  (RSS ≤ ${mb(s.memory.rss)}, heap ≤ ${mb(s.memory.heapUsed)})` : '';
    return `    ${s.name.padEnd(18)} ${seconds(s.ms).padStart(9)} wall ${seconds(s.cpuMs).padStart(9)} CPU  ${counts}${peak}`;
  });
}

function memoryLine(memory: MemoryPeak): string {
  return `    peak memory: RSS ${mb(memory.rss)}, V8 heap ${mb(memory.heapUsed)}, outside the heap ${mb(memory.external)}`;
}

/** The simulator's fault counters that answer 429, and how the report names them. */
const NOT_429 = new Set(['unavailable', 'slowed', 'dropped', 'denied']);
const THROTTLE_KINDS: Record<string, string> = {
  concurrency: 'over the concurrency limit',
  rate: 'over the request-rate limit',
  throttled: 'injected',
};

/** Answers the simulator gave during a phase: HTTP requests and the items of `$batch` requests. */
const answers = (counts: GraphCounts) => counts.requests + counts.batchItems;

/**
 * The phase's Graph traffic as the simulator saw it, and what its 429s cost the product's client:
 * "Graph: 12,345 requests (+ 60 batch items), 3 answered 429 (0.02%: …), 1.2 s spent waiting; …".
 */
function graphLine(result: PhaseResult): string | undefined {
  const { simulator: counts, throttling } = result;
  if (!counts && !throttling) return undefined;
  const parts: string[] = [];
  if (counts) {
    const kinds = Object.entries(counts.faults)
      .filter(([name, n]) => !NOT_429.has(name) && n > 0)
      .map(([name, n]) => `${count(n)} ${THROTTLE_KINDS[name] ?? `${name} limit`}`);
    const share = answers(counts) > 0 ? counts.throttled / answers(counts) : 0;
    parts.push(
      `${count(counts.requests)} requests (+ ${count(counts.batchItems)} batch items), ` +
        `${count(counts.throttled)} answered 429 (${(share * 100).toFixed(2)}%${kinds.length ? `: ${kinds.join(', ')}` : ''})`,
    );
  }
  if (throttling) {
    parts.push(
      `the client met ${count(throttling.throttled)} and spent ${seconds(throttling.waitedMs)} waiting ` +
        `(summed over requests); lowest global concurrency ${throttling.lowestGlobalLimit} of ${throttling.globalMaximum}` +
        (throttling.keysBelowMaximum > 0
          ? `, ${throttling.keysBelowMaximum} mailboxes below ${throttling.perMailboxMaximum} at the end`
          : ''),
    );
  }
  return `    Graph: ${parts.join('; ')}`;
}

const step = (result: PhaseResult | undefined, name: string) => result?.steps.find((s) => s.name === name);
const total = (steps: readonly (StepFigure | undefined)[], key: 'ms' | 'cpuMs') =>
  steps.reduce((sum, s) => sum + (s?.[key] ?? 0), 0);

/** The figures, as printed at the end of a run. */
export function summarise(results: Partial<Record<'ingest' | 'fetch' | 'aggregate', PhaseResult>>): string[] {
  const lines: string[] = [];
  const { ingest, fetch, aggregate } = results;
  for (const [name, result] of Object.entries(results)) {
    const graph = graphLine(result);
    lines.push(`  ${name}`, ...stepTable(result.steps), memoryLine(result.memory), ...(graph ? [graph] : []));
  }
  lines.push('', 'Figures');
  const e2eRead = step(ingest, 'reading-mailboxes');
  const e2eSteps = ingest?.steps ?? [];
  if (ingest && e2eRead?.messages !== undefined) {
    const items = e2eRead.messages + (e2eRead.meetings ?? 0);
    lines.push(
      `  (a) end to end (read, aggregate, finalise, write ${count(step(ingest, 'writing-results')?.rows ?? 0)} rows): ` +
        `${perSecond(e2eRead.messages, total(e2eSteps, 'ms'))} emails, ${perSecond(items, total(e2eSteps, 'ms'))} emails + meetings`,
    );
  }
  const rawRead = step(fetch, 'reading-mailboxes');
  const rawSteps = [step(fetch, 'resolving-users'), rawRead];
  if (rawRead?.messages !== undefined) {
    lines.push(
      `  (b) raw fetch (a sink that only counts): ${perSecond(rawRead.messages, total(rawSteps, 'ms'))} emails`,
    );
  }
  if (ingest && rawRead) {
    const engineSteps = [step(ingest, 'resolving-users'), e2eRead, step(ingest, 'aggregating')];
    const wall = total(engineSteps, 'ms') / total(rawSteps, 'ms') - 1;
    const cpu = total(engineSteps, 'cpuMs') / total(rawSteps, 'cpuMs') - 1;
    lines.push(
      `      engine cost over the raw fetch (read + aggregate + finalise vs read): ${percent(wall)} wall, ` +
        `${percent(cpu)} product CPU`,
      `      with writing the rows: ${percent(total(e2eSteps, 'ms') / total(rawSteps, 'ms') - 1)} wall`,
    );
  }
  const folded = step(aggregate, 'aggregating');
  const finalised = step(aggregate, 'finalising');
  if (folded?.activities !== undefined) {
    lines.push(
      `  (c) aggregation alone, one core: ${perSecond(folded.activities, folded.cpuMs)} activities ` +
        `(${folded.activities.toLocaleString('en-US')} in ${seconds(folded.ms)}); finalising ${seconds(finalised?.ms ?? 0)}`,
    );
    if (rawRead) {
      const engineCpu = folded.cpuMs + (finalised?.cpuMs ?? 0);
      lines.push(
        `      the engine's CPU measured alone (folding + finalising, ${seconds(engineCpu)}) against the raw fetch's ` +
          `product CPU (${seconds(rawRead.cpuMs)}): ${percent(engineCpu / rawRead.cpuMs)}`,
      );
    }
  }
  if (ingest)
    lines.push(
      `  (d) peak memory of the enrichment: RSS ${mb(ingest.memory.rss)}, V8 heap ${mb(ingest.memory.heapUsed)}`,
    );
  const throttled = (['ingest', 'fetch'] as const).flatMap((name) => {
    const counts = results[name]?.simulator;
    if (!counts || answers(counts) === 0) return [];
    return [`${name} ${((counts.throttled / answers(counts)) * 100).toFixed(2)}%`];
  });
  if (throttled.length > 0) {
    lines.push(`  (e) Graph requests answered 429 (goal: under 1%): ${throttled.join(', ')}`);
  }
  const built = folded?.activities;
  if (built !== undefined && rawRead?.messages !== undefined) {
    const read = rawRead.messages + (rawRead.meetings ?? 0);
    if (read !== built) {
      lines.push(
        `  note: the aggregate phase built ${count(built)} activities, the fetch read ${count(read)} ` +
          `emails + meetings: they should be the same`,
      );
    }
  }
  return lines;
}
