import { loadSettings, SettingsError } from '../core/config/settings';
import { startLocalStack } from '../local/stack';
import { PortInUseError } from '../server/listen';

async function main(): Promise<void> {
  const settings = loadSettings({ environment: 'local' });
  if (settings.APP_MODE !== 'local') {
    throw new SettingsError([
      'APP_MODE must be "local" for `npm start`; for production run `npm run serve` with APP_MODE=production',
    ]);
  }
  console.log('Starting Account engagement locally…');
  const stack = await startLocalStack(settings, {
    playground: true,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(`
Account engagement is running:
  Admin tab          ${stack.server.url}/tab/
  Bot (in the Agents Playground, channel msteams)
                     ${stack.playground?.url ?? '(not started)'}
  Bot endpoint       ${stack.server.url}/api/messages
  Health             ${stack.server.url}/api/health
Data is kept in ${settings.LOCAL_DATA_DIR}/ between starts. Press Ctrl-C to stop.`);

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
        console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof PortInUseError) {
    console.error(`Cannot start: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
