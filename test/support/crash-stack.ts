/**
 * The local stack in a process of its own, for tests that kill it (`test/integration/crash-durability.test.ts`):
 *
 *     node --import tsx test/support/crash-stack.ts <LOCAL_DATA_DIR>
 *
 * Starts what `npm start` starts except the Agents Playground and the tab build, on ephemeral
 * ports, with the Cosmos data in the given folder. Prints one line `@crash-stack {"url": …}` once
 * the server listens, then answers commands read from stdin, one a line, with one
 * `@crash-stack {…}` line each:
 *
 * - `consent-link`: `{"consentLink": "<url>"}`, the link in the last consent request mailed.
 *
 * Everything else the stack logs goes to stdout and stderr as it is.
 */
import { createInterface } from 'node:readline';
import { loadSettings } from '../../core/config/settings';
import { startLocalStack } from '../../local/stack';

const MARKER = '@crash-stack ';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: crash-stack.ts <LOCAL_DATA_DIR>');
  const settings = loadSettings({
    env: {
      APP_MODE: 'local',
      PORT: '0',
      COSMOS_PORT: '0',
      GRAPH_SIMULATOR_PORT: '0',
      PLAYGROUND_PORT: '0',
      LOCAL_DATA_DIR: dataDir,
    },
    envDir: dataDir,
  });
  if (settings.APP_MODE !== 'local') throw new Error('expected local settings');
  const stack = await startLocalStack(settings, { log: (line) => console.log(line) });
  const say = (message: unknown) => process.stdout.write(`${MARKER}${JSON.stringify(message)}\n`);
  say({ url: stack.server.url });

  for await (const command of createInterface({ input: process.stdin })) {
    if (command === 'consent-link') {
      const mail = stack.graph.sentMail.at(-1);
      const html = (mail?.message.body as { content?: string } | undefined)?.content ?? '';
      const href = /href="([^"]+)"/.exec(html)?.[1];
      say({ consentLink: href ? href.replaceAll('&amp;', '&') : null });
    } else {
      say({ error: `unknown command ${JSON.stringify(command)}` });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
