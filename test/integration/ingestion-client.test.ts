import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { localCertificate, type LocalCertificate } from '../../local/certificate';
import {
  createGraphClient,
  simulatorGraphSettings,
  type GraphClientSettings,
  type GraphConnection,
} from '../../core/graph/client.ts';
import { GraphNetworkError, GraphNotFoundError, GraphPermissionError } from '../../core/graph/errors.ts';
import { graphGet } from '../../core/graph/request.ts';
import { tempDir } from '../support/temp-dir';

/**
 * The Graph client against a bare HTTPS server with a self-signed certificate: CA pinning for this
 * client only, the fixed local token, connection reuse, and what a dropped connection does.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('ingestion: Graph client over TLS', () => {
  const data = tempDir('graph-client');
  let certificate: LocalCertificate;
  let server: Server;
  let url: string;
  let handler: Handler = (_req, res) => res.end();
  const sockets = new Set<Socket>();
  let connections = 0;
  const graphs: GraphConnection[] = [];

  const connect = (overrides: Partial<GraphClientSettings> = {}) => {
    const graph = createGraphClient({
      ...simulatorGraphSettings({ url: `${url}/v1.0`, caPem: certificate.cert, token: 'local-token' }),
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...overrides,
    });
    graphs.push(graph);
    return graph;
  };

  before(async () => {
    certificate = await localCertificate(data.path);
    server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => handler(req, res));
    server.on('secureConnection', (socket: Socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await Promise.all(graphs.splice(0).map((g) => g.close()));
    connections = 0;
  });

  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    data.cleanup();
  });

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  it('trusts the configured CA for its own requests only, and sends the local token', async () => {
    let authorization: string | undefined;
    handler = (req, res) => {
      authorization = req.headers.authorization;
      json(res, 200, { value: [], path: req.url });
    };
    const graph = connect();
    const body = await graphGet<{ path: string }>(graph, '/users?$select=id', { what: 'listing users' });
    assert.equal(body.path, '/v1.0/users?$select=id');
    assert.equal(authorization, 'Bearer local-token');
    // The process itself still refuses the self-signed certificate.
    await assert.rejects(fetch(`${url}/v1.0/users`));
    assert.equal(process.env.NODE_TLS_REJECT_UNAUTHORIZED, undefined);
  });

  it('refuses the server without the CA', async () => {
    handler = (_req, res) => json(res, 200, { value: [] });
    const graph = connect({ caPem: undefined, retry: { maxAttempts: 1 } });
    await assert.rejects(graphGet(graph, '/users', { what: 'listing users' }), GraphNetworkError);
  });

  it('reuses kept-alive connections, no more than the concurrency limit', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, { value: [] }), 5);
    const graph = connect({ maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 30 }, () => graphGet(graph, '/users', { what: 'listing users' })));
    assert.ok(connections >= 1 && connections <= 3, `${connections} connections`);
  });

  it('retries a connection dropped before or during the response body', async () => {
    let calls = 0;
    handler = (req, res) => {
      calls += 1;
      if (calls === 1) {
        req.socket.destroy();
        return;
      }
      if (calls === 2) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"value":[');
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      json(res, 200, { value: [{ id: 'u1' }] });
    };
    const graph = connect();
    const body = await graphGet<{ value: { id: string }[] }>(graph, '/users', { what: 'listing users' });
    assert.deepEqual(body.value, [{ id: 'u1' }]);
    assert.equal(calls, 3);
  });

  it('maps final answers to typed errors with Graph code and message', async () => {
    handler = (req, res) =>
      req.url?.startsWith('/v1.0/users/missing')
        ? json(res, 404, {
            error: { code: 'Request_ResourceNotFound', message: "Resource 'missing' does not exist." },
          })
        : json(res, 403, { error: { code: 'ErrorAccessDenied', message: 'Access is denied.' } });
    const graph = connect();
    await assert.rejects(
      graphGet(graph, '/users/missing', { what: 'reading user missing' }),
      (error: unknown) =>
        error instanceof GraphNotFoundError &&
        error.code === 'Request_ResourceNotFound' &&
        /reading user missing/.test(error.message),
    );
    await assert.rejects(
      graphGet(graph, '/users/u1/messages', { what: 'reading messages' }),
      (error: unknown) => error instanceof GraphPermissionError && error.status === 403,
    );
  });
});
