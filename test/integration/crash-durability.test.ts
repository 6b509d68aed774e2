import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Container } from '@azure/cosmos';
import { localCertificate, type LocalCertificate } from '../../local/certificate';
import { Journal, readJournal, type JournalEntry } from '../../local/cosmos-journal';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../local/embedded-cosmos';
import { ensureContainers } from '../../core/store/containers';
import { validEnrichment } from '../support/configuration';
import { sleep, type RunView } from '../support/run-api';
import { tempDir } from '../support/temp-dir';
import type { ApiAnswer } from '../support/test-app';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CRASH_STACK = fileURLToPath(new URL('../support/crash-stack.ts', import.meta.url));
const MARKER = '@crash-stack ';
const ENRICHMENT = '/api/enrichments/sales-engagement';
const TORN = /journal: ignored a torn last entry \((\d+) bytes\) written at (\S+);/;

/** The local stack in a child process of its own (test/support/crash-stack.ts), to be killed. */
interface StackProcess {
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  command(line: string): Promise<Record<string, unknown>>;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>>;
  /** SIGKILL: no shutdown, no last snapshot. */
  kill(): Promise<void>;
}

const running = new Set<StackProcess>();

async function startStack(dataDir: string): Promise<StackProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CRASH_STACK, dataDir], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const messages: Record<string, unknown>[] = [];
  let wake: (() => void) | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    output += `${line}\n`;
    if (line.startsWith(MARKER)) {
      messages.push(JSON.parse(line.slice(MARKER.length)) as Record<string, unknown>);
      wake?.();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
    wake?.();
  });
  const next = async (): Promise<Record<string, unknown>> => {
    for (;;) {
      const message = messages.shift();
      if (message) return message;
      if (gone) throw new Error(`the stack process ended:\n${output}`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };

  const ready = await next();
  const url = String(ready.url);
  const stack: StackProcess = {
    url,
    output: () => output,
    async command(line) {
      child.stdin.write(`${line}\n`);
      return next();
    },
    async api<T>(method: string, route: string, body?: unknown): Promise<ApiAnswer<T>> {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return {
        status: response.status,
        body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
        headers: response.headers,
      };
    },
    async kill() {
      running.delete(stack);
      if (!gone) process.kill(child.pid ?? 0, 'SIGKILL');
      await exited;
    },
  };
  running.add(stack);
  return stack;
}

interface SegmentView {
  segmentId: string;
  name: string;
  description: string | null;
  rules: unknown;
  etag: string | null;
}
interface DatasetView {
  datasetId: string;
  accountCount: number;
}
interface EnrichmentView {
  version: number;
  staleThresholdDays: number;
  consent: { status: string };
}

const COFFEE = {
  accounts: [{ AccountId: 'X1', Name: 'Fourth Coffee', Website: 'fourthcoffee.com' }],
  contacts: [{ ContactId: 'Y1', AccountId: 'X1', Email: 'jo@fourthcoffee.com' }],
};
const coffeeUpload = (name: string) => ({
  name,
  upload: { format: 'json', file: { name: 'coffee.json', text: JSON.stringify(COFFEE) } },
});
const engaged = (name: string) => ({
  name,
  description: 'High score',
  rules: { combinator: 'and', rules: [{ column: 'EngagementScore', operator: 'ge', value: 50 }] },
});

describe('crash durability of the local store', function () {
  this.timeout(180_000);

  afterEach(async () => {
    for (const stack of [...running]) await stack.kill();
  });

  describe('the local stack killed with SIGKILL', () => {
    it('has every acknowledged write after a restart: configuration, consent, settings, a finished run, a dataset import and a segment', async () => {
      const data = tempDir('crash');
      try {
        const first = await startStack(data.path);
        const created = await first.api<{ enrichment: EnrichmentView }>(
          'POST',
          '/api/enrichments',
          validEnrichment(),
        );
        assert.equal(created.status, 201, JSON.stringify(created.body));

        // The tenant admin grants consent: the identity platform sends the browser back to the mailed
        // link's redirect_uri with admin_consent=True, the tenant and the link's state.
        const { consentLink } = await first.command('consent-link');
        assert.ok(typeof consentLink === 'string', 'a consent request was mailed');
        const callback = await fetch(consentCallback(new URL(consentLink)), { redirect: 'manual' });
        assert.equal(callback.status, 200, await callback.text());

        const started = await first.api<RunView>('POST', `${ENRICHMENT}/runs`);
        assert.equal(started.status, 202, JSON.stringify(started.body));
        let run = started.body;
        while (['queued', 'running'].includes(run.status)) {
          await sleep(100);
          run = (await first.api<RunView>('GET', `${ENRICHMENT}/runs/${run.runId}`)).body;
        }
        assert.equal(run.status, 'succeeded', run.error ?? '');

        const settings = await first.api<{ enrichment: EnrichmentView }>('PUT', ENRICHMENT, {
          ...validEnrichment({ staleThresholdDays: 90 }),
          version: created.body.enrichment.version,
        });
        assert.equal(settings.status, 200, JSON.stringify(settings.body));
        const dataset = await first.api<DatasetView>('POST', '/api/datasets', coffeeUpload('Coffee'));
        assert.equal(dataset.status, 201, JSON.stringify(dataset.body));
        const segment = await first.api<SegmentView>('POST', `${ENRICHMENT}/segments`, engaged('Engaged'));
        assert.equal(segment.status, 201, JSON.stringify(segment.body));
        await first.kill();

        const second = await startStack(data.path);
        const enrichment = await second.api<EnrichmentView>('GET', ENRICHMENT);
        assert.equal(enrichment.status, 200);
        assert.deepEqual(enrichment.body, settings.body.enrichment);
        assert.equal(enrichment.body.staleThresholdDays, 90);
        assert.equal(enrichment.body.consent.status, 'granted');

        const runAgain = await second.api<RunView>('GET', `${ENRICHMENT}/runs/${run.runId}`);
        assert.equal(runAgain.body.status, 'succeeded');
        assert.equal(runAgain.body.finishedAt, run.finishedAt);
        assert.deepEqual(runAgain.body.counts, run.counts);
        const summary = await second.api<{ results: { runId: string } | null }>(
          'GET',
          `${ENRICHMENT}/results/summary`,
        );
        assert.equal(summary.body.results?.runId, run.runId, 'the run is still the visible one');

        const datasetAgain = await second.api<DatasetView>('GET', `/api/datasets/${dataset.body.datasetId}`);
        assert.equal(datasetAgain.status, 200);
        assert.deepEqual(datasetAgain.body, dataset.body);

        const segmentPath = `${ENRICHMENT}/segments/${segment.body.segmentId}`;
        const segmentAgain = await second.api<SegmentView>('GET', segmentPath);
        assert.equal(segmentAgain.status, 200);
        const { name, description, rules, etag } = segmentAgain.body;
        assert.deepEqual(
          { name, description, rules, etag },
          {
            name: segment.body.name,
            description: segment.body.description,
            rules: segment.body.rules,
            etag: segment.body.etag,
          },
        );

        // Optimistic concurrency across the restart: the etag read before it still updates, once.
        const renamed = await second.api<SegmentView>('PUT', segmentPath, {
          ...engaged('Engaged accounts'),
          etag: segment.body.etag,
        });
        assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
        const lost = await second.api('PUT', segmentPath, {
          ...engaged('Lost update'),
          etag: segment.body.etag,
        });
        assert.equal(lost.status, 409);
        await second.kill();
      } finally {
        data.cleanup();
      }
    });

    it('starts after a torn journal entry, reports it and keeps every entry before it', async () => {
      const data = tempDir('crash-torn');
      const journalFile = path.join(data.path, 'cosmos-journal.log');
      try {
        const first = await startStack(data.path);
        assert.equal((await first.api('POST', '/api/enrichments', validEnrichment())).status, 201);
        const dataset = await first.api<DatasetView>('POST', '/api/datasets', coffeeUpload('Coffee'));
        assert.equal(dataset.status, 201);
        const segment = await first.api<SegmentView>('POST', `${ENRICHMENT}/segments`, engaged('Engaged'));
        assert.equal(segment.status, 201);
        await first.kill();

        // The last entry loses its last 5 bytes, as if the machine had stopped halfway through writing it.
        const { entries } = await readJournal<unknown>(journalFile);
        const last = entries.at(-1) as JournalEntry<unknown>;
        assert.ok(last, 'the journal holds the writes since the last snapshot');
        const lastLength =
          Buffer.byteLength(JSON.stringify(last)) +
          `${Buffer.byteLength(JSON.stringify(last))} 01234567 \n`.length;
        truncateSync(journalFile, statSync(journalFile).size - 5);
        const lostSegment = JSON.stringify(last.data).includes(segment.body.segmentId);

        const second = await startStack(data.path);
        const report = TORN.exec(second.output());
        assert.ok(report, second.output());
        assert.equal(Number(report[1]), lastLength - 5);
        assert.equal(report[2], last.at);
        assert.equal((await second.api('GET', ENRICHMENT)).status, 200);
        assert.deepEqual(
          (await second.api('GET', `/api/datasets/${dataset.body.datasetId}`)).body,
          dataset.body,
        );
        const segmentPath = `${ENRICHMENT}/segments/${segment.body.segmentId}`;
        assert.equal((await second.api('GET', segmentPath)).status, lostSegment ? 404 : 200);

        // Garbage after the last entry (a write cut off before its header was complete) is left out too,
        // and entries appended after the torn one were whole.
        const another = await second.api<SegmentView>('POST', `${ENRICHMENT}/segments`, engaged('Another'));
        assert.equal(another.status, 201);
        await second.kill();
        appendFileSync(journalFile, '4711 0badc0de {"seq":');

        const third = await startStack(data.path);
        const garbage = TORN.exec(third.output());
        assert.ok(garbage, third.output());
        assert.equal(Number(garbage[1]), '4711 0badc0de {"seq":'.length);
        assert.equal(
          (await third.api('GET', `${ENRICHMENT}/segments/${another.body.segmentId}`)).status,
          200,
        );
        assert.equal((await third.api('GET', `/api/datasets/${dataset.body.datasetId}`)).status, 200);
        await third.kill();
      } finally {
        data.cleanup();
      }
    });
  });

  describe('the embedded Cosmos DB in this process, from a crash image of its files', () => {
    const data = tempDir('cosmos-journal');
    let certificate: LocalCertificate;
    let images = 0;
    const open: EmbeddedCosmos[] = [];

    before(async () => {
      certificate = await localCertificate(data.path);
    });
    afterEach(async () => {
      for (const cosmos of open.splice(0)) await cosmos.close();
    });
    after(() => data.cleanup());

    async function start(dir: string, lines: string[] = []): Promise<EmbeddedCosmos> {
      const cosmos = await startEmbeddedCosmos({
        port: 0,
        certificate,
        dataDir: dir,
        snapshotIntervalMs: 3_600_000,
        log: (line) => lines.push(line),
      });
      open.push(cosmos);
      return cosmos;
    }

    /** The files as a crash would leave them now: the journal first, then the snapshot it continues. */
    function crashImage(dir: string): string {
      const image = ensureDir(path.join(data.path, `image-${(images += 1)}`));
      for (const name of ['cosmos-journal.log', 'cosmos-snapshot.json']) {
        if (existsSync(path.join(dir, name))) copyFileSync(path.join(dir, name), path.join(image, name));
      }
      return image;
    }

    it('replays every kind of write with its etag: creates, upserts, replaces, deletes, bulk, batch, containers', async () => {
      const live = await start(ensureDir(path.join(data.path, 'live')));
      const containers = await ensureContainers(live.client, 'crash');
      const runs = containers.runs;
      const a = await runs.items.upsert({ id: 'a', tenantId: 't1', n: 1 });
      await runs.items.create({ id: 'b', tenantId: 't1', n: 2 });
      const a2 = await runs.items.upsert({ id: 'a', tenantId: 't1', n: 3 });
      await assert.rejects(
        runs
          .item('a', 't1')
          .replace(
            { id: 'a', tenantId: 't1', n: 4 },
            { accessCondition: { type: 'IfMatch', condition: a.etag ?? '' } },
          ),
        (error: { code?: number }) => error.code === 412,
      );
      const a3 = await runs
        .item('a', 't1')
        .replace(
          { id: 'a', tenantId: 't1', n: 5 },
          { accessCondition: { type: 'IfMatch', condition: a2.etag ?? '' } },
        );
      await runs.item('b', 't1').delete();
      const bulk = await runs.items.bulk([
        { operationType: 'Create', resourceBody: { id: 'c', tenantId: 't2', n: 6 } },
        { operationType: 'Upsert', resourceBody: { id: 'd', tenantId: 't2', n: 7 } },
        { operationType: 'Create', resourceBody: { id: 'e', tenantId: 't1', n: 8 } },
      ]);
      assert.deepEqual(
        bulk.map((r) => r.statusCode),
        [201, 201, 201],
      );
      const batch = await runs.items.batch(
        [
          // The server reads each operation's partition key (the SDK would send it in a header only).
          {
            operationType: 'Replace',
            id: 'c',
            partitionKey: 't2',
            resourceBody: { id: 'c', tenantId: 't2', n: 9 },
          },
          { operationType: 'Delete', id: 'd', partitionKey: 't2' },
          { operationType: 'Create', partitionKey: 't2', resourceBody: { id: 'f', tenantId: 't2', n: 10 } },
        ],
        't2',
      );
      assert.deepEqual(
        batch.result?.map((r) => r.statusCode),
        [200, 204, 201],
      );
      await runs.items.bulk([{ operationType: 'Delete', id: 'e', partitionKey: 't1' }]);
      const { database } = await live.client.databases.createIfNotExists({ id: 'crash' });
      const { container: scratch } = await database.containers.createIfNotExists({
        id: 'scratch',
        partitionKey: { paths: ['/tenantId'] },
      });
      await scratch.items.create({ id: 'gone', tenantId: 't1' });
      await scratch.delete();
      await live.client.databases.createIfNotExists({ id: 'dropped' });
      await live.client.database('dropped').delete();
      const stored = await allDocuments(runs);

      const image = crashImage(path.join(data.path, 'live'));
      const lines: string[] = [];
      const restarted = await start(image, lines);
      assert.ok(restarted.recovery.replayed > 0);
      assert.equal(restarted.recovery.ignored, undefined);
      assert.match(lines.join('\n'), /journal: replayed \d+ entries written after the snapshot/);
      // The start folded the journal into a new snapshot and emptied it.
      assert.equal(statSync(path.join(image, 'cosmos-journal.log')).size, 0);
      const snapshot = JSON.parse(readFileSync(path.join(image, 'cosmos-snapshot.json'), 'utf8')) as {
        version: number;
        journalSeq: number;
      };
      assert.equal(snapshot.version, 2);
      assert.ok(snapshot.journalSeq > 0);
      const again = await ensureContainers(restarted.client, 'crash');
      assert.deepEqual(await allDocuments(again.runs), stored, 'the same documents, etags and _ts');
      assert.deepEqual(
        stored.map((d) => `${String(d.id)}:${String(d.n)}`),
        ['a:5', 'c:9', 'f:10'],
      );
      const { resources: containerIds } = await restarted.client
        .database('crash')
        .containers.readAll()
        .fetchAll();
      assert.ok(!containerIds.some((c) => c.id === 'scratch'), 'the deleted container stays deleted');
      const { resources: databaseIds } = await restarted.client.databases.readAll().fetchAll();
      assert.ok(!databaseIds.some((d) => d.id === 'dropped'), 'the deleted database stays deleted');

      // The etag read before the crash still guards a replace after it, once.
      await again.runs
        .item('a', 't1')
        .replace(
          { id: 'a', tenantId: 't1', n: 11 },
          { accessCondition: { type: 'IfMatch', condition: a3.etag ?? '' } },
        );
      await assert.rejects(
        again.runs
          .item('a', 't1')
          .replace(
            { id: 'a', tenantId: 't1', n: 12 },
            { accessCondition: { type: 'IfMatch', condition: a3.etag ?? '' } },
          ),
        (error: { code?: number }) => error.code === 412,
      );
    });

    it('leaves out a torn last entry and a corrupt one, saying so, and keeps the entries before them', async () => {
      const dir = ensureDir(path.join(data.path, 'torn'));
      const live = await start(dir);
      const { runs } = await ensureContainers(live.client, 'torn');
      for (const id of ['one', 'two', 'three']) await runs.items.create({ id, tenantId: 't1' });
      const image = crashImage(dir);
      const journalFile = path.join(image, 'cosmos-journal.log');
      truncateSync(journalFile, statSync(journalFile).size - 7);

      const lines: string[] = [];
      const restarted = await start(image, lines);
      assert.equal(restarted.recovery.ignored?.torn, true);
      assert.equal(lines.filter((line) => TORN.test(line)).length, 1, lines.join('\n'));
      const again = await ensureContainers(restarted.client, 'torn');
      assert.deepEqual(
        (await allDocuments(again.runs)).map((d) => d.id),
        ['one', 'two'],
      );
      // Entries written after the torn one follow whole ones: a later crash loses nothing.
      await again.runs.items.create({ id: 'four', tenantId: 't1' });
      const later = crashImage(image);
      const third = await start(later);
      assert.equal(third.recovery.ignored, undefined);
      assert.deepEqual(
        (await allDocuments((await ensureContainers(third.client, 'torn')).runs)).map((d) => d.id),
        ['four', 'one', 'two'],
      );

      // A corrupt byte in the middle: replay stops before it, the rest is kept aside for a look.
      const corrupt = crashImage(dir);
      const file = path.join(corrupt, 'cosmos-journal.log');
      const bytes = readFileSync(file);
      const at = bytes.indexOf('"id":"two"');
      bytes[at + 7] = 'X'.charCodeAt(0);
      writeFileSync(file, bytes);
      const corruptLines: string[] = [];
      const fourth = await start(corrupt, corruptLines);
      assert.equal(fourth.recovery.ignored?.torn, false);
      assert.match(
        corruptLines.join('\n'),
        /journal: ignored a corrupt entry and the \d+ line\(s\) after it .*checksum mismatch.*kept in .*cosmos-journal\.ignored-/,
      );
      assert.deepEqual(
        (await allDocuments((await ensureContainers(fourth.client, 'torn')).runs)).map((d) => d.id),
        ['one'],
      );
      assert.ok(readdirSync(corrupt).some((name) => name.startsWith('cosmos-journal.ignored-')));
    });

    it('loses no acknowledged write to snapshots taken while writes go on', async () => {
      const dir = ensureDir(path.join(data.path, 'busy'));
      const live = await start(dir);
      const { runs } = await ensureContainers(live.client, 'busy');
      let writing = true;
      const snapshots = (async () => {
        let taken = 0;
        while (writing || taken === 0) {
          await live.snapshot();
          taken += 1;
          await new Promise((resolve) => setImmediate(resolve));
        }
        return taken;
      })();
      const acknowledged = new Map<string, number>();
      await Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          for (let i = 0; i < 40; i += 1) {
            const id = `w${worker}-${i % 10}`;
            await runs.items.upsert({ id, tenantId: 't1', n: i });
            acknowledged.set(id, i);
          }
        }),
      );
      writing = false;
      assert.ok((await snapshots) > 0);
      const image = crashImage(dir);
      const restarted = await start(image);
      const stored = await allDocuments((await ensureContainers(restarted.client, 'busy')).runs);
      assert.deepEqual(
        Object.fromEntries(stored.map((d) => [d.id, d.n])),
        Object.fromEntries([...acknowledged].sort(([x], [y]) => x.localeCompare(y))),
      );
    });

    it('writes concurrent appends with shared fsyncs, in order, and compacts to the entries after a snapshot', async () => {
      const file = path.join(ensureDir(path.join(data.path, 'journal')), 'cosmos-journal.log');
      const journal = await Journal.open<{ n: number }>(file, { validBytes: 0, lastSeq: 0 });
      try {
        await Promise.all(Array.from({ length: 50 }, (_, n) => journal.append({ n })));
        const written = await readJournal<{ n: number }>(file);
        assert.deepEqual(
          written.entries.map((e) => [e.seq, e.data.n]),
          Array.from({ length: 50 }, (_, n) => [n + 1, n]),
        );
        await journal.compact(45);
        assert.deepEqual(
          (await readJournal<{ n: number }>(file)).entries.map((e) => e.seq),
          [46, 47, 48, 49, 50],
        );
        await journal.append({ n: 50 });
        assert.deepEqual(
          (await readJournal<{ n: number }>(file)).entries.map((e) => e.seq),
          [46, 47, 48, 49, 50, 51],
        );
        await journal.compact(51);
        assert.equal(statSync(file).size, 0);
      } finally {
        await journal.close();
      }
    });

    it('restores a snapshot of the earlier format, which had no etags and no journal', async () => {
      const dir = ensureDir(path.join(data.path, 'v1'));
      writeFileSync(
        path.join(dir, 'cosmos-snapshot.json'),
        JSON.stringify({
          version: 1,
          takenAt: '2026-01-01T00:00:00.000Z',
          databases: [
            {
              id: 'old',
              containers: [
                { id: 'runs', partitionKey: { paths: ['/tenantId'] }, items: [{ id: 'r', tenantId: 't1' }] },
              ],
            },
          ],
        }),
      );
      const cosmos = await start(dir);
      const { runs } = await ensureContainers(cosmos.client, 'old');
      const { resource } = await runs.item('r', 't1').read<{ tenantId: string }>();
      assert.equal(resource?.tenantId, 't1');
      assert.equal(cosmos.recovery.restored, 1);
    });
  });
});

/** Where Entra ID sends the tenant admin's browser after they accepted the consent prompt of `link`. */
function consentCallback(link: URL): string {
  // …/{tenant}/adminconsent or …/{tenant}/v2.0/adminconsent
  const parts = link.pathname.split('/').filter(Boolean).reverse();
  const tenant = parts[1] === 'v2.0' ? parts[2] : parts[1];
  const target = new URL(link.searchParams.get('redirect_uri') ?? '');
  target.searchParams.set('admin_consent', 'True');
  target.searchParams.set('tenant', tenant ?? '');
  target.searchParams.set('state', link.searchParams.get('state') ?? '');
  target.searchParams.set('scope', link.searchParams.get('scope') ?? '');
  return target.toString();
}

function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every document of a container with its version fields, by id. */
async function allDocuments(container: Container): Promise<Record<string, unknown>[]> {
  const { resources } = await container.items.readAll<Record<string, unknown>>().fetchAll();
  return resources
    .map(({ id, tenantId, n, _etag, _ts }) => ({ id, tenantId, n, _etag, _ts }))
    .sort((x, y) => String(x.id).localeCompare(String(y.id)));
}
