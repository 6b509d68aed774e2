import os from 'node:os';
import type { MemoryPeak } from './memory';
import type { ChangeSummary, StepFigure } from './ipc';

export interface PhaseResult {
  steps: StepFigure[];
  memory: MemoryPeak;
  change?: ChangeSummary;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perSecond = (count: number, ms: number) =>
  ms > 0 ? `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s` : '–';
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

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

const step = (result: PhaseResult | undefined, name: string) => result?.steps.find((s) => s.name === name);
const total = (steps: readonly (StepFigure | undefined)[], key: 'ms' | 'cpuMs') =>
  steps.reduce((sum, s) => sum + (s?.[key] ?? 0), 0);

/** The figures, as printed at the end of a run. */
export function summarise(results: Partial<Record<'ingest' | 'fetch' | 'aggregate', PhaseResult>>): string[] {
  const lines: string[] = [];
  const { ingest, fetch, aggregate } = results;
  for (const [name, result] of Object.entries(results)) {
    lines.push(`  ${name}`, ...stepTable(result.steps), memoryLine(result.memory));
  }
  lines.push('', 'Figures');
  const e2eRead = step(ingest, 'reading-mailboxes');
  const e2eSteps = ingest?.steps ?? [];
  if (ingest && e2eRead?.messages !== undefined) {
    const items = e2eRead.messages + (e2eRead.meetings ?? 0);
    lines.push(
      `  (a) end to end (read, aggregate, finalise, write ${step(ingest, 'writing-results')?.rows ?? 0} rows): ` +
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
  const delta = step(fetch, 'delta re-read');
  if (fetch?.change && delta && rawRead) {
    const changed = fetch.change.updated + fetch.change.added;
    lines.push(
      `  (e) after ${changed.toLocaleString('en-US')} of ${fetch.change.messages.toLocaleString('en-US')} messages changed: ` +
        `delta re-read ${seconds(delta.ms)} (${(delta.activities ?? 0).toLocaleString('en-US')} changed emails, ` +
        `${(delta.meetings ?? 0).toLocaleString('en-US')} meetings re-read in full) against ${seconds(rawRead.ms)} ` +
        `for the full read: ${percent(delta.ms / rawRead.ms)} of the time, ${percent(delta.cpuMs / rawRead.cpuMs)} of the product CPU`,
    );
  }
  return lines;
}
