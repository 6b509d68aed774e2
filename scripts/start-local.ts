import { loadSettings, SettingsError } from '../core/config/settings';
import { demoWanted, type DemoRunEnd } from '../local/demo-enrichment';
import { startLocalStack } from '../local/stack';
import { PortInUseError } from '../server/listen';
import { errorMessage } from '../core/text/error-text';

const QUESTION = 'engagement for Contoso?';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const settings = loadSettings({ environment: 'local' });
  if (settings.APP_MODE !== 'local') {
    throw new SettingsError([
      'APP_MODE must be "local" for `npm start`; for production run `npm run serve` with APP_MODE=production',
    ]);
  }
  // `npm start -- --empty` (or LOCAL_DEMO=empty): no demo enrichment, for trying the wizard.
  const demo = demoWanted(process.argv.slice(2), settings);
  console.log('Starting Account engagement locally…');
  const stack = await startLocalStack(settings, {
    playground: true,
    demo,
    log: (line) => console.log(`  ${line}`),
  });
  const tab = `${stack.server.url}/tab/`;
  const results = `${tab}#/results`;
  const playground = stack.playground?.url ?? '(not started)';
  console.log(`
Account engagement is running:
  Admin tab          ${tab}
  Bot (in the Agents Playground, channel msteams, signed in as the seller Ana Diaz)
                     ${playground}
  Bot endpoint       ${stack.server.url}/api/messages
  Health             ${stack.server.url}/api/health
Data is kept in ${settings.LOCAL_DATA_DIR}/ between starts. Press Ctrl-C to stop.
`);
  if (stack.demo?.created) {
    console.log(`The demo enrichment "${stack.demo.enrichment.name}" is set up (${stack.demo.enrichment.trackedSummary.resolvedUsers} sellers of the demo tenant, the "Demo customers" dataset, consent granted) and its first run has started.
  Open ${results}  (Results: every demo customer with its engagement score; Runs shows the run)
  In the Agents Playground ask: ${QUESTION}
A line below says when the results are ready (usually within half a minute).
`);
    void stack.demo.finished.then((end) => console.log(readyLine(end, startedAt, results, playground)));
  } else if (!demo) {
    console.log(`No demo enrichment is created (--empty or LOCAL_DEMO=empty).
  Open ${tab}#/setup to set up an enrichment with the wizard; once a run has results, ask the bot: ${QUESTION}
`);
  } else if (stack.demo?.failed) {
    console.log(`The demo enrichment ${stack.demo.reason}.
  Open ${tab} to see what is there, or ${tab}#/setup to set up an enrichment with the wizard.
`);
  } else {
    console.log(`Your data was kept as it is: ${stack.demo?.reason ?? 'no demo was created'}.
  Open ${results}  (Results of the latest run)
  In the Agents Playground ask: ${QUESTION}
`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping, writing the data snapshot…`);
    stack.close().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Stopping failed: ${errorMessage(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function readyLine(end: DemoRunEnd, startedAt: number, results: string, playground: string): string {
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  if (!end.succeeded) {
    return `\nThe demo's first run ${end.run.status} after ${seconds} s: ${end.run.error ?? 'see the Runs screen'}. The Runs screen of the tab shows why; Run there starts it again.\n`;
  }
  const enriched = end.run.counts?.accountsEnriched ?? 0;
  const accounts = end.run.counts?.accounts ?? 0;
  return `
Demo results ready after ${seconds} s: ${enriched.toLocaleString('en-US')} of ${accounts.toLocaleString('en-US')} customers enriched.
  Open ${results}
  In the Agents Playground (${playground}) ask: ${QUESTION}
`;
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof PortInUseError) {
    console.error(`Cannot start: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
