/**
 * `npm run bench -- bot [options]`: the seller bot's figures. The customer-card question's latency
 * through the real server and adapter over HTTP (Bot Framework activities POSTed to /api/messages,
 * replies received by a local Bot Connector service) with many accounts in the embedded Cosmos DB,
 * which runs in a process of its own as Azure Cosmos DB is a service of its own: the first question
 * after a start and after a run, questions one after another, a steady rate of questions from many
 * sellers, and proactive alerts per second through the sender with its pacing. Prints figures,
 * asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createBotRuntime } from '../bot/bot-runtime';
import { loadSettings, type LocalSettings } from '../core/config/settings';
import { createGraphClient, simulatorGraphSettings } from '../core/graph/client';
import { RunService } from '../core/runs/run-service';
import { ensureContainers } from '../core/store/containers';
import { generateCertificate } from '../local/certificate';
import { startCosmosProcess } from '../local/cosmos-process';
import { startServer } from '../server/app';
import { developmentIdentity } from '../server/identity';
import { FakeConnector, type ReceivedActivity } from '../local/fake-connector';
import { DEFAULT_ENTITY_NAME } from '../core/config/enrichment-config';
import { cardId, pointerId, type VisibleRun } from '../core/results/stored-rows';
import { accountId, accountName, seedAlerts, seedTenant, writeRun, type SeedOptions } from './bot-seed';
import { machineLine } from './report';

const count = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `--${name} must be a number` })
    .int(`--${name} must be a whole number`)
    .min(min, `--${name} must be at least ${min}`)
    .max(max, `--${name} must be at most ${max}`);

const botArgsSchema = z.object({
  accounts: count('accounts', 10, 1_000_000).default(100_000),
  'history-accounts': count('history-accounts', 0, 1_000_000).default(5_000),
  questions: count('questions', 10, 100_000).default(1_000),
  sellers: count('sellers', 1, 1_000).default(20),
  /** The steady load: questions per second (0: none), for how many seconds, from how many sellers. */
  rate: count('rate', 0, 1_000).default(100),
  duration: count('duration', 1, 600).default(60),
  'load-sellers': count('load-sellers', 1, 1_000).default(50),
  alerts: count('alerts', 0, 100_000).default(1_000),
  owners: count('owners', 1, 10_000).default(250),
});

type BotArgs = z.infer<typeof botArgsSchema>;

const TENANT = '6b8e3a52-4a0c-4c55-9f5c-3d2b1e0fbe11';
const say = (text: string) => process.stdout.write(`${text}\n`);

function parseBotArgs(argv: readonly string[]): BotArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.keys(botArgsSchema.shape).map((name) => [name, { type: 'string' as const }]),
    ),
    strict: true,
    allowPositionals: false,
  });
  const result = botArgsSchema.safeParse(values);
  if (!result.success) throw new Error(result.error.issues[0]?.message ?? 'invalid arguments');
  return result.data;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** A question gets no reply within this time: counted as an error. */
const REPLY_TIMEOUT_MS = 10_000;

/** Sends messages as a Teams user and resolves with each reply, timed from `started` to the reply. */
class Seller {
  private readonly conversationId = `a:bench-${randomUUID()}`;

  constructor(
    private readonly endpoint: string,
    private readonly connector: FakeConnector,
    /** Replies awaited, by the id of the message they answer. */
    private readonly waiting: Map<string, (reply: ReceivedActivity) => void>,
    private readonly index: number,
  ) {}

  async ask(
    text: string,
    started = performance.now(),
    timeoutMs = REPLY_TIMEOUT_MS,
  ): Promise<{ ms: number; reply: ReceivedActivity }> {
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<ReceivedActivity>((resolve, reject) => {
      this.waiting.set(id, resolve);
      timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    // A failed request leaves no reply to wait for.
    reply.catch(() => undefined);
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id,
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl: this.connector.url,
        from: {
          id: `29:seller-${this.index}`,
          aadObjectId: `seller-${this.index}`,
          name: `Seller ${this.index}`,
        },
        recipient: { id: '28:bench-bot', name: 'Account engagement' },
        conversation: { id: this.conversationId, conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
        text,
      }),
    });
    if (!response.ok) {
      clearTimeout(timer);
      this.waiting.delete(id);
      throw new Error(`/api/messages answered ${response.status}: ${await response.text()}`);
    }
    const received = await reply.finally(() => clearTimeout(timer));
    return { ms: performance.now() - started, reply: received };
  }
}

function phrasing(i: number, accounts: number): string {
  const name = accountName((i * 7919) % accounts);
  const forms = [`engagement for ${name}?`, `how engaged is ${name}`, name.toLowerCase(), `show me ${name}`];
  return forms[i % forms.length] ?? name;
}

/**
 * `rate` questions a second for `duration` seconds, spread over `load-sellers` sellers, each sent
 * on schedule whether or not earlier ones were answered; a latency runs from the scheduled instant
 * to the reply, so a backlog counts in full.
 */
async function steadyLoad(
  args: BotArgs,
  endpoint: string,
  connector: FakeConnector,
  waiting: Map<string, (reply: ReceivedActivity) => void>,
): Promise<void> {
  const sellers = Array.from(
    { length: args['load-sellers'] },
    (_, i) => new Seller(endpoint, connector, waiting, 1_000 + i),
  );
  // Each seller's first message stores their conversation: not part of the load.
  await Promise.all(sellers.map((seller, i) => seller.ask(phrasing(i, args.accounts))));
  const total = args.rate * args.duration;
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const began = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = began + (i * 1000) / args.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const seller = sellers[i % sellers.length];
    if (!seller) break;
    pending.push(
      seller.ask(phrasing(i * 31 + 7, args.accounts), due).then(
        ({ ms: took }) => void latencies.push(took),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          errors.set(message, (errors.get(message) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(pending);
  const wall = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const failed = [...errors.values()].reduce((sum, n) => sum + n, 0);
  say(
    `  ${args.rate} questions/s for ${args.duration} s from ${sellers.length} sellers: ${latencies.length.toLocaleString('en-US')} answered in ${wall.toFixed(1)} s ` +
      `(${Math.round(latencies.length / wall)} answers/s), ${failed} errors, ` +
      `p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? NaN)}`,
  );
  for (const [message, n] of errors) say(`    ${n} × ${message}`);
}

export async function runBotBench(argv: readonly string[]): Promise<void> {
  const args = parseBotArgs(argv);
  say(`Machine: ${machineLine()}`);
  const certificate = await generateCertificate();
  const cosmos = await startCosmosProcess({ port: 0, certificate });
  const connector = await new FakeConnector().start();
  const waiting = new Map<string, (reply: ReceivedActivity) => void>();
  connector.onActivity = (received) => {
    const answered = received.activity.replyToId;
    if (typeof answered === 'string') {
      waiting.get(answered)?.(received);
      waiting.delete(answered);
    }
    // Only the replies' timing matters here; the bodies are not kept.
    connector.received.length = 0;
  };
  const graph = createGraphClient(
    simulatorGraphSettings({ url: 'https://127.0.0.1:9/v1.0', caPem: certificate.cert }),
  );
  try {
    const containers = await ensureContainers(cosmos.client, 'bench');
    say(`Seeding ${args.accounts.toLocaleString('en-US')} accounts …`);
    const seed: SeedOptions = {
      containers,
      tenantId: TENANT,
      accounts: args.accounts,
      historyAccounts: args['history-accounts'],
      asOf: '2026-03-04T00:00:00.000Z',
      log: say,
    };
    await seedTenant(seed);
    const settings = loadSettings({
      env: { APP_MODE: 'local', PORT: '0' },
      envDir: '/nonexistent',
    }) as LocalSettings;
    const now = () => Date.now();
    const bot = createBotRuntime({ settings, containers, now, log: () => undefined });
    const runs = new RunService({ containers, graph, now, log: () => undefined });
    const server = await startServer({
      settings,
      checks: {},
      services: { settings, containers, graph, now, runs },
      identity: developmentIdentity(settings, TENANT),
      bot,
    });
    try {
      const endpoint = `${server.url}/api/messages`;
      const sellers = Array.from(
        { length: args.sellers },
        (_, i) => new Seller(endpoint, connector, waiting, i),
      );
      // The first question builds the account index: it may take long on a busy machine.
      const first = await sellers[0]?.ask(phrasing(0, args.accounts), performance.now(), 300_000);
      say(
        `\nCustomer card, through /api/messages and the Bot Connector (${args.accounts.toLocaleString('en-US')} accounts)`,
      );
      say(`  first question after a start (builds the account index): ${ms(first?.ms ?? NaN)}`);
      // Each seller's first message also stores their conversation; measured questions come after.
      await Promise.all(sellers.slice(1).map((seller, i) => seller.ask(phrasing(i + 1, args.accounts))));

      // A new run of the same dataset: its rows and cards written, then made visible by the
      // pointer swap that starts a publish. The previous run's rows stay: removing them is a query
      // the embedded server answers by scanning its whole container for every page, which would
      // hold up every other request meanwhile (Azure Cosmos DB answers it from its index).
      say('  writing a second run …');
      const runId = randomUUID();
      await writeRun(seed, runId);
      const visible: VisibleRun = {
        runId,
        asOf: seed.asOf,
        publishedAt: new Date().toISOString(),
        rowCount: args.accounts,
        accountCount: args.accounts,
      };
      await containers.results.items.upsert({
        ...visible,
        id: pointerId(DEFAULT_ENTITY_NAME),
        tenantId: TENANT,
        type: 'visible',
        entity: DEFAULT_ENTITY_NAME,
      });
      const afterRun = await sellers[0]?.ask(phrasing(1, args.accounts));
      say(`  first question after the run: ${ms(afterRun?.ms ?? NaN)}`);
      const stored = await containers.results
        .item(cardId(DEFAULT_ENTITY_NAME, runId, accountId(1)), TENANT)
        .read<object>();
      say(
        `  a card with its history: ${(JSON.stringify(stored.resource).length / 1024).toFixed(1)} KB stored, ` +
          `request charge ${stored.requestCharge} (the embedded server's figure, not Azure's)`,
      );

      const latencies: number[] = [];
      let cardBytes = 0;
      for (let i = 0; i < args.questions; i++) {
        const seller = sellers[i % sellers.length];
        if (!seller) break;
        const { ms: took, reply } = await seller.ask(phrasing(i + args.sellers, args.accounts));
        latencies.push(took);
        cardBytes = Math.max(cardBytes, JSON.stringify(reply.activity.attachments ?? []).length);
      }
      latencies.sort((a, b) => a - b);
      say(
        `  ${args.questions.toLocaleString('en-US')} questions one after another: p50 ${ms(percentile(latencies, 50))}, ` +
          `p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? NaN)}`,
      );
      say(`  largest card: ${(cardBytes / 1024).toFixed(1)} KB`);

      const together = Math.min(args.questions, 400);
      const started = performance.now();
      const parallel = await Promise.all(
        sellers.map(async (seller, s) => {
          const own: number[] = [];
          for (let i = s; i < together; i += sellers.length)
            own.push((await seller.ask(phrasing(i, args.accounts))).ms);
          return own;
        }),
      );
      const wall = performance.now() - started;
      const mixed = parallel.flat().sort((a, b) => a - b);
      say(
        `  ${together} questions from ${sellers.length} sellers at once: ${Math.round((mixed.length * 1000) / wall)} answers/s, ` +
          `p50 ${ms(percentile(mixed, 50))}, p95 ${ms(percentile(mixed, 95))}, p99 ${ms(percentile(mixed, 99))}`,
      );

      if (args.rate) await steadyLoad(args, endpoint, connector, waiting);

      if (args.alerts) {
        say(
          `\nProactive alerts (${args.alerts.toLocaleString('en-US')} alerts to ${args.owners.toLocaleString('en-US')} owners)`,
        );
        const unlimited = { perSecond: 1e6, burst: 1e6 };
        for (const [name, label, sender] of [
          [
            'paced',
            'with the Teams pacing (40/s per tenant, 1/s per chat after a burst of 4), 16 at once',
            {},
          ],
          [
            'unpaced-4',
            'without pacing, 4 at once (what the sender and the embedded store sustain)',
            { rates: { tenant: unlimited, conversation: unlimited }, concurrency: 4 },
          ],
          [
            'unpaced-16',
            'without pacing, 16 at once',
            { rates: { tenant: unlimited, conversation: unlimited }, concurrency: 16 },
          ],
        ] as const) {
          // A database of its own each, so neither measurement reads the other's documents.
          const store = await ensureContainers(cosmos.client, `bench-alerts-${name}`);
          const runtime = createBotRuntime({
            settings,
            containers: store,
            now,
            log: () => undefined,
            sender,
          });
          await seedAlerts(store, TENANT, connector.url, args.alerts, args.owners);
          const begun = performance.now();
          const report = await runtime.sender.deliverPending(TENANT);
          const took = performance.now() - begun;
          say(
            `  ${label}: ${report.sent.toLocaleString('en-US')} sent in ${(took / 1000).toFixed(1)} s, ` +
              `${((report.sent * 1000) / took).toFixed(1)} alerts/s`,
          );
        }
      }
      say(`\nMachine at the end: ${machineLine()}`);
    } finally {
      await server.close();
    }
  } finally {
    await graph.close();
    await connector.close();
    await cosmos.close();
  }
}
