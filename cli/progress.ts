import { SingleBar, Presets } from 'cli-progress';
import type { RunProgress, RunStep } from '../core/runs/enrichment-run';

const STEP_LABELS: Record<RunStep, string> = {
  'resolving-users': 'Resolving tracked users',
  'reading-mailboxes': 'Reading mailboxes',
  aggregating: 'Aggregating',
  'writing-results': 'Writing results',
};

export interface ProgressReporter {
  update(progress: RunProgress): void;
  stop(): void;
}

/**
 * A progress bar on a terminal; plain, throttled lines otherwise (logs, pipes, CI). Reporting starts
 * once the tracked users are resolved: until then a refused --tracked must be the only line on stderr.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const reporter = stream.isTTY ? barReporter(stream) : lineReporter(stream);
  return {
    update: (p) => {
      if (p.step !== 'resolving-users') reporter.update(p);
    },
    stop: () => reporter.stop(),
  };
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new SingleBar(
    {
      stream,
      format: '{step} [{bar}] {value}/{total} mailboxes · {messages} emails · {meetings} meetings',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  let step: RunStep | undefined;
  return {
    update(p) {
      const payload = { step: STEP_LABELS[p.step], messages: p.messages, meetings: p.meetings };
      if (!started) {
        bar.start(Math.max(p.mailboxesTotal, 1), p.mailboxesDone, payload);
        started = true;
      }
      if (p.step !== step) bar.setTotal(Math.max(p.mailboxesTotal, 1));
      step = p.step;
      bar.update(p.mailboxesDone, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function lineReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let lastStep: RunStep | undefined;
  let lastLine = 0;
  return {
    update(p) {
      const now = Date.now();
      const stepChanged = p.step !== lastStep;
      const done = p.step === 'reading-mailboxes' && p.mailboxesDone === p.mailboxesTotal;
      if (!stepChanged && !done && now - lastLine < 1000) return;
      lastStep = p.step;
      lastLine = now;
      const counts =
        p.step === 'reading-mailboxes'
          ? `: ${p.mailboxesDone}/${p.mailboxesTotal} mailboxes, ${p.messages} emails, ${p.meetings} meetings`
          : '';
      stream.write(`${STEP_LABELS[p.step]}${counts}\n`);
    },
    stop() {},
  };
}
