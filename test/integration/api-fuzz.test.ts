import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import sinon from 'sinon';
import { startProductionServer, type ProductionServer } from '../support/production-server';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Drives every operation of /api/openapi.json, and the bot's /api/messages, with junk: traversal and
 * malformed ids, wrong query types, wrong body types, lone surrogates, deep nesting, huge and
 * mis-encoded bodies. No answer may be a 5xx, nor carry a stack or a file path; the server stays healthy.
 *
 * Per operation: 9 path-parameter cases (when it has any), 7 cases per query parameter, 19 fixed body
 * cases plus 3 per top-level body property and 12 random bodies (when it has a body), 3 content-type
 * and encoding cases; against the local app (development identity, an admin) and a production-mode
 * server (no token: 401 before anything is read). The exact count is logged and asserted.
 */

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: { name: string; schema: unknown }[];
  bodyProperties: string[];
  hasBody: boolean;
}

interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  what: string;
}

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: 'path' | 'query'; schema: unknown }[];
        requestBody?: {
          content: { 'application/json': { schema: { properties?: Record<string, unknown> } } };
        };
      }
    >
  >;
}

const LONE = '\ud800';
const MB = 1024 * 1024;
/** What a stack trace or a source path looks like in an answer. */
const LEAKS = [/\n\s+at \S/, /\(\S+:\d+:\d+\)/, /\/work\//, /node_modules/, /\.ts:\d/, /\.js:\d+:\d+/];

/** Path parameter values as they go on the wire (already percent-encoded where needed). */
const JUNK_IDS = [
  encodeURIComponent('../../etc/passwd'),
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..',
  '%ED%A0%80',
  '%E0%A4%A',
  'a'.repeat(2000),
  encodeURIComponent('ünïcødé-😀 名前'),
  encodeURIComponent('id?x=1#frag'),
  '%00%0a',
];

const JUNK_QUERY = (name: string) => [
  `${name}=not-a-number`,
  `${name}=-1`,
  `${name}=1e400`,
  `${name}=a&${name}=b`,
  `${name}=%ED%A0%80`,
  `${name}=${'x'.repeat(6000)}`,
  `${name}[deep][er]=1`,
];

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

/** A JSON text with a lone surrogate (JSON.stringify would escape it as `\ud800`, which JSON.parse reads back lone). */
const withLone = (fields: string[]) =>
  JSON.stringify(Object.fromEntries(fields.map((f) => [f, `x${LONE}y`])));

function bodyCases(
  operation: Operation,
): { what: string; body: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> }[] {
  const json = (value: unknown) => JSON.stringify(value);
  const props = operation.bodyProperties;
  const cases: { what: string; body: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> }[] =
    [
      { what: 'null', body: 'null' },
      { what: 'array', body: '[]' },
      { what: 'string', body: '"text"' },
      { what: 'number', body: '42' },
      { what: 'empty object', body: '{}' },
      { what: 'not JSON', body: '{"a": ' },
      { what: 'empty', body: '' },
      { what: '60-level nesting', body: json(nested(60)) },
      { what: '5,000-level nesting', body: '['.repeat(5000) + ']'.repeat(5000) },
      { what: '400,000-level nesting', body: '['.repeat(400_000) + ']'.repeat(400_000) },
      { what: 'lone surrogate everywhere', body: withLone(props.length ? props : ['name']) },
      { what: 'lone surrogate key', body: '{"\\ud800": 1, "tracked": ["\\udc00x"]}' },
      { what: 'tracked lone surrogate', body: json({ tracked: [LONE], name: 'x' }) },
      { what: '__proto__', body: '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {}}}' },
      { what: '2 MB string', body: json({ name: 'x'.repeat(2 * MB) }) },
      { what: '30 MB body', body: json({ name: 'x'.repeat(30 * MB) }) },
      { what: 'gzip header, plain body', body: '{"name":"x"}', headers: { 'content-encoding': 'gzip' } },
      {
        what: 'deflate header, plain body',
        body: '{"name":"x"}',
        headers: { 'content-encoding': 'deflate' },
      },
      { what: 'br header, plain body', body: '{"name":"x"}', headers: { 'content-encoding': 'br' } },
      {
        what: 'gzip body',
        body: new Uint8Array(gzipSync(json({ name: LONE }))),
        headers: { 'content-encoding': 'gzip' },
      },
    ];
  for (const prop of props) {
    for (const value of [12345, null, { [prop]: [[[]]] }]) {
      cases.push({ what: `${prop} = ${json(value)}`, body: json({ [prop]: value }) });
    }
  }
  return cases;
}

/** Random JSON values (fixed seed): objects with the schema's keys holding anything. */
function randomBodies(operation: Operation, count: number): string[] {
  const keys = operation.bodyProperties.length ? operation.bodyProperties : ['name'];
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 })),
  );
  return fc.sample(value, { seed: 4242, numRuns: count }).map((v) => JSON.stringify(v) ?? 'null');
}

function operationsOf(doc: OpenApi): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        bodyProperties: Object.keys(op.requestBody?.content['application/json'].schema.properties ?? {}),
        hasBody: Boolean(op.requestBody),
      });
    }
  }
  return operations;
}

/** Fills the path's parameters: each with `value`, or a plausible valid id. */
function fill(path: string, value?: string): string {
  return path.replace(/\{([A-Za-z]+)\}/g, () => value ?? 'sales');
}

function probesOf(operation: Operation): Probe[] {
  const { method } = operation;
  const valid = fill(operation.path);
  const probes: Probe[] = [];
  if (operation.pathParams.length) {
    for (const id of JUNK_IDS)
      probes.push({ method, path: fill(operation.path, id), what: `path ${id.slice(0, 40)}` });
  }
  for (const { name } of operation.queryParams) {
    for (const query of JUNK_QUERY(name))
      probes.push({ method, path: `${valid}?${query}`, what: `query ${query.slice(0, 40)}` });
  }
  const json = { 'content-type': 'application/json' };
  if (operation.hasBody) {
    for (const body of bodyCases(operation)) {
      probes.push({
        method,
        path: valid,
        body: body.body,
        headers: { ...json, ...body.headers },
        what: `body ${body.what}`,
      });
    }
    for (const body of randomBodies(operation, 12)) {
      probes.push({ method, path: valid, body, headers: json, what: `random body ${body.slice(0, 40)}` });
    }
  }
  // Whatever the operation: a body of the wrong type, and encodings nobody asked for.
  probes.push({
    method,
    path: valid,
    body: 'a=1',
    headers: { 'content-type': 'text/plain' },
    what: 'text/plain',
  });
  probes.push({
    method,
    path: valid,
    body: '{}',
    headers: { ...json, 'content-encoding': 'x-unknown' },
    what: 'unknown encoding',
  });
  probes.push({
    method,
    path: valid,
    body: '{}',
    headers: { 'content-type': 'application/json; charset=utf-7' },
    what: 'utf-7',
  });
  return probes;
}

/** Junk for the bot endpoint; `serviceUrl` is a stand-in connector that accepts the bot's replies. */
function botProbes(serviceUrl: string): Probe[] {
  const activity = {
    type: 'message',
    id: 'activity-1',
    text: 'help',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user', name: 'Ana Diaz', aadObjectId: 'user-1' },
    recipient: { id: '28:bot', name: 'Account engagement' },
    conversation: { id: 'a:conversation', conversationType: 'personal', tenantId: 'tenant' },
    channelData: { tenant: { id: 'tenant' } },
  };
  const variants: unknown[] = [
    null,
    [],
    'message',
    {},
    { type: 'message' },
    { ...activity, conversation: undefined },
    { ...activity, conversation: 'a:conversation' },
    { ...activity, conversation: { id: 42 } },
    { ...activity, from: { id: 42 } },
    { ...activity, from: 'user' },
    { ...activity, conversation: { id: 'c', tenantId: { id: 't' } } },
    { ...activity, channelData: { tenant: { id: 7 } } },
    { ...activity, serviceUrl: 'javascript:alert(1)' },
    { ...activity, serviceUrl: 'not a url' },
    { ...activity, serviceUrl: 42 },
    { ...activity, type: undefined },
    { ...activity, type: 42 },
    { ...activity, type: 'invoke', name: 'adaptiveCard/action', value: { action: { verb: 42, data: null } } },
    { ...activity, type: 'invoke', name: 'adaptiveCard/action', value: null },
    { ...activity, type: 'installationUpdate', action: 42 },
    { ...activity, type: 'conversationUpdate', membersAdded: 'all' },
    { ...activity, text: 'x'.repeat(900 * 1024) },
    { ...activity, text: `help ${LONE}` },
    { ...activity, value: nested(60) },
  ];
  const json = { 'content-type': 'application/json' };
  const probes: Probe[] = variants.map((v, i) => ({
    method: 'POST',
    path: '/api/messages',
    body: JSON.stringify(v) ?? 'null',
    headers: json,
    what: `bot activity ${i}`,
  }));
  probes.push(
    { method: 'POST', path: '/api/messages', body: '{"type":', headers: json, what: 'bot not JSON' },
    {
      method: 'POST',
      path: '/api/messages',
      body: JSON.stringify(activity),
      headers: { ...json, 'content-encoding': 'gzip' },
      what: 'bot bad gzip',
    },
    {
      method: 'POST',
      path: '/api/messages',
      body: JSON.stringify(activity),
      headers: { ...json, 'content-encoding': 'br' },
      what: 'bot br',
    },
    {
      method: 'POST',
      path: '/api/messages',
      body: JSON.stringify({ ...activity, text: 'x'.repeat(30 * MB) }),
      headers: json,
      what: 'bot 30 MB',
    },
    {
      method: 'POST',
      path: '/api/messages',
      body: JSON.stringify(activity),
      headers: { 'content-type': 'text/plain' },
      what: 'bot text/plain',
    },
  );
  return probes;
}

/** Outside the operations: malformed URIs under the tab, the API and the root. */
const STRAY: Probe[] = [
  { method: 'GET', path: '/tab/%E0%A4%A', what: 'tab malformed URI' },
  { method: 'GET', path: '/tab/%ED%A0%80', what: 'tab lone surrogate' },
  { method: 'GET', path: '/tab/..%2f..%2fpackage.json', what: 'tab traversal' },
  { method: 'GET', path: '/tab/assets/%E0%A4%A.js', what: 'tab asset malformed URI' },
  { method: 'GET', path: '/api/%E0%A4%A', what: 'api malformed URI' },
  { method: 'GET', path: '/%E0%A4%A', what: 'root malformed URI' },
  {
    method: 'POST',
    path: '/tab/',
    body: '{',
    headers: { 'content-type': 'application/json' },
    what: 'post to tab',
  },
];

interface Failure {
  base: string;
  probe: Probe;
  status: number;
  text: string;
}

async function send(base: string, probe: Probe): Promise<Failure | undefined> {
  let response: Response;
  try {
    response = await fetch(`${base}${probe.path}`, {
      method: probe.method,
      headers: probe.headers,
      ...(probe.body === undefined || probe.method === 'GET' || probe.method === 'HEAD'
        ? {}
        : { body: probe.body }),
    });
  } catch (error) {
    // A server that answers early (413 before a 30 MB upload ends) may close the socket under the client.
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if (cause === 'ECONNRESET' || cause === 'EPIPE' || cause === 'UND_ERR_SOCKET') return undefined;
    return { base, probe, status: 0, text: String(error) };
  }
  const text = await response.text();
  if (response.status >= 500 || LEAKS.some((leak) => leak.test(text))) {
    return { base, probe, status: response.status, text: text.slice(0, 300) };
  }
  return undefined;
}

/** Sends probes a few at a time. */
async function storm(base: string, probes: Probe[], failures: Failure[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let probe = probes[next++]; probe; probe = probes[next++]) {
      const failure = await send(base, probe);
      if (failure) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

describe('API fuzzing: junk for every operation of the OpenAPI document and the bot', function () {
  this.timeout(180_000);
  let app: TestApp;
  let production: ProductionServer;
  let connector: Server;
  let connectorUrl: string;

  before(async () => {
    // Answers every reply of the bot, so that a 5xx can only come from the input, not an unreachable connector.
    connector = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"reply"}'));
    });
    await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
    connectorUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
    app = await startTestApp({ API_RATE_LIMIT: '1000000' });
    production = await startProductionServer(app.stack, { API_RATE_LIMIT: '1000000' });
  });

  after(async () => {
    await production?.close();
    await app?.close();
    await new Promise<void>((resolve) => (connector ? connector.close(() => resolve()) : resolve()));
  });

  it('answers every junk request (operations × cases, in both modes) below 500, without a stack or a path', async () => {
    const doc = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as OpenApi;
    const operations = operationsOf(doc);
    assert.ok(operations.length >= 30, `the document lists the API (${operations.length} operations)`);
    const probes = [...operations.flatMap(probesOf), ...botProbes(connectorUrl), ...STRAY];

    const failures: Failure[] = [];
    // The server logs what it refuses (and botbuilder its 401s): quiet here, the answers are what is checked.
    const logged = sinon.stub(console, 'error');
    try {
      await storm(app.url, probes, failures);
      await storm(production.url, probes, failures);
    } finally {
      logged.restore();
    }
    const total = probes.length * 2;
    console.log(
      `      ${operations.length} operations; ${probes.length} probes × 2 modes = ${total} requests`,
    );
    assert.ok(total > 1000, `${total} requests`);
    assert.deepEqual(
      failures.map(
        (f) =>
          `${f.base === app.url ? 'local' : 'production'} ${f.probe.method} ${f.probe.path.slice(0, 80)} (${f.probe.what}) → ${f.status} ${f.text}`,
      ),
      [],
    );

    for (const base of [app.url, production.url]) {
      const health = await fetch(`${base}/api/health`);
      assert.equal(health.status, 200, `${base} is still healthy`);
    }
    // And still working: the development identity reads the API.
    assert.equal((await app.api('GET', '/api/enrichments')).status, 200);
  });

  it('names the fault: 415 for an unknown encoding, 400 for a bad gzip, a lone surrogate or a traversal id', async () => {
    const post = (headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>) =>
      fetch(`${app.url}/api/datasets/preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    assert.equal((await post({ 'content-encoding': 'br' }, '{}')).status, 415);
    assert.equal((await post({ 'content-encoding': 'gzip' }, '{}')).status, 400);
    const deep = await post({}, '['.repeat(400_000) + ']'.repeat(400_000));
    assert.equal(deep.status, 400);
    assert.match(await deep.text(), /must not nest more than 10000 levels deep/);
    const lone = await post({}, '{"upload": {"format": "json", "file": {"text": "a\\ud800b"}}}');
    assert.equal(lone.status, 400);
    assert.match(await lone.text(), /upload\.file\.text.*lone surrogate/);
    const traversal = await app.api<{ error: { message: string } }>(
      'GET',
      `/api/datasets/${encodeURIComponent('../../etc/passwd')}`,
    );
    assert.equal(traversal.status, 400);
    assert.match(traversal.body.error.message, /datasetId/);
    const bot = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'a-1',
        channelId: 'msteams',
        serviceUrl: 'javascript:alert(1)',
        from: { id: '29:user' },
        recipient: { id: '28:bot' },
        conversation: { id: 'c' },
      }),
    });
    assert.equal(bot.status, 400);
    assert.match(await bot.text(), /serviceUrl/);
    const tab = await fetch(`${production.url}/tab/%E0%A4%A`);
    assert.equal(tab.status, 400);
    assert.equal(tab.headers.get('content-type')?.split(';')[0], 'text/plain');
  });
});
