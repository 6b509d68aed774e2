/**
 * `npm run bench -- import [--mb 24] [--probe-ms 50]`: a customer dataset import of about 25 MB
 * (accounts and contacts CSV) through the real server, while `/api/health/live` is probed every
 * 50 ms. Prints the import's duration and the probes' latencies; asserts nothing.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { ImportServerReady } from './import-server';
import { forkModule, hasType, nextMessage } from './ipc';
import { machineLine } from './report';

const importArgsSchema = z.object({
  mb: z.coerce
    .number({ error: '--mb must be a number' })
    .min(1, '--mb must be at least 1')
    .max(25)
    .default(24),
  'probe-ms': z.coerce.number({ error: '--probe-ms must be a number' }).int().min(5).max(1_000).default(50),
});
type ImportArgs = z.infer<typeof importArgsSchema>;

const say = (text: string) => process.stdout.write(`${text}\n`);
const MB = 1024 * 1024;

function parseImportArgs(argv: readonly string[]): ImportArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { mb: { type: 'string' }, 'probe-ms': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const result = importArgsSchema.safeParse(values);
  if (!result.success) throw new Error(result.error.issues[0]?.message ?? 'invalid arguments');
  return result.data;
}

/** Accounts and contacts CSV (five contacts an account) whose JSON upload body weighs about `bytes`. */
export function generatedUpload(bytes: number): {
  body: string;
  accounts: number;
  contacts: number;
} {
  // One account line and its five contact lines weigh about 650 bytes in the JSON body.
  const accountCount = Math.floor(bytes / 650);
  const accounts = ['AccountId,Name,Website,Owner,Industry,Segment'];
  const contacts = ['ContactId,AccountId,Email,FirstName,LastName,Title,Phone'];
  for (let a = 0; a < accountCount; a++) {
    const domain = `account-${a}.example.com`;
    accounts.push(
      `ACC-${a},"Account ${a}, Inc.",${domain},owner${a % 97}@fabrikam.com,Manufacturing,Enterprise`,
    );
    for (let c = 0; c < 5; c++) {
      contacts.push(
        `CON-${a}-${c},ACC-${a},person${c}@${domain},First${c},Last${a},Purchasing manager,+1 555 010 ${String(c).padStart(4, '0')}`,
      );
    }
  }
  const body = JSON.stringify({
    name: 'Bench import',
    upload: {
      format: 'csv',
      accounts: { name: 'accounts.csv', text: `${accounts.join('\n')}\n` },
      contacts: { name: 'contacts.csv', text: `${contacts.join('\n')}\n` },
    },
  });
  return { body, accounts: accountCount, contacts: accountCount * 5 };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export async function runImportBench(argv: readonly string[]): Promise<void> {
  const args = parseImportArgs(argv);
  say(`Machine: ${machineLine()}`);
  const upload = generatedUpload(args.mb * MB);
  const size = Buffer.byteLength(upload.body);
  say(
    `Upload: ${(size / MB).toFixed(1)} MB JSON body, ${upload.accounts.toLocaleString('en-US')} accounts and ` +
      `${upload.contacts.toLocaleString('en-US')} contacts as CSV`,
  );
  const server = forkModule('import-server.ts', ['--max-old-space-size=8192']);
  try {
    const { url } = await nextMessage(server, hasType<ImportServerReady>('ready'));
    const probe = async (): Promise<number> => {
      const start = performance.now();
      const answer = await fetch(`${url}/api/health/live`);
      await answer.arrayBuffer();
      if (answer.status !== 200) throw new Error(`/api/health/live answered ${answer.status}`);
      return performance.now() - start;
    };
    // Warm up the connection pool and the server's routes.
    for (let i = 0; i < 5; i++) await probe();
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push(await probe());

    const latencies: Promise<number>[] = [];
    let failed = 0;
    const timer = setInterval(
      () =>
        latencies.push(
          probe().catch((error: unknown) => {
            failed += 1;
            if (failed === 1) say(`A probe failed: ${String((error as Error).cause ?? error)}`);
            return Number.NaN;
          }),
        ),
      args['probe-ms'],
    );
    const start = performance.now();
    const answer = await fetch(`${url}/api/datasets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: upload.body,
    });
    const text = await answer.text();
    const duration = performance.now() - start;
    clearInterval(timer);
    const during = (await Promise.all(latencies)).filter((l) => !Number.isNaN(l)).sort((a, b) => a - b);
    idle.sort((a, b) => a - b);

    say('');
    say(`Import: HTTP ${answer.status} in ${(duration / 1000).toFixed(2)} s`);
    if (answer.status >= 300) say(`  ${text.slice(0, 300)}`);
    say(
      `/api/health/live while idle:      p50 ${ms(percentile(idle, 50))}, p95 ${ms(percentile(idle, 95))}, max ${ms(idle.at(-1) ?? 0)} (${idle.length} probes)`,
    );
    say(
      `/api/health/live during import:   p50 ${ms(percentile(during, 50))}, p95 ${ms(percentile(during, 95))}, max ${ms(during.at(-1) ?? 0)} (${during.length} probes, one every ${args['probe-ms']} ms${failed ? `; ${failed} failed` : ''})`,
    );
    say(`Machine at the end: ${machineLine()}`);
  } finally {
    server.disconnect();
  }
}
