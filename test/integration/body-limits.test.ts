import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { z } from 'zod';
import { identityMiddleware, type Identity } from '../../server/identity';
import { defineRoute, mountRoutes } from '../../tab/api/route';
import { MB } from '../../tab/api/json-body';

interface ErrorBody {
  error: { code: string; message: string };
}

const admin: Identity = {
  tenantId: 'tenant',
  userId: 'admin',
  email: 'admin@fabrikam.com',
  name: 'Admin',
  isAdmin: true,
  source: 'development',
};
const seller: Identity = { ...admin, userId: 'seller', email: 'seller@fabrikam.com', isAdmin: false };

const lengthSchema = z.object({ length: z.number() });

/** Two routes through the product's route framework: one with the default limit, one declaring more. */
const routes = [
  defineRoute({
    method: 'post',
    path: '/notes',
    summary: 'Accept a small body',
    tag: 'limits',
    access: 'admin',
    body: z.object({ text: z.string() }),
    responses: { 200: { description: 'Its length', schema: lengthSchema } },
    handler: ({ body }) => Promise.resolve({ body: { length: body.text.length } }),
  }),
  defineRoute({
    method: 'post',
    path: '/uploads',
    summary: 'Accept a large body',
    tag: 'limits',
    access: 'member',
    maxBodyBytes: 3 * MB,
    body: z.object({ data: z.string() }),
    responses: { 200: { description: 'Its length', schema: lengthSchema } },
    handler: ({ body }) => Promise.resolve({ body: { length: body.data.length } }),
  }),
];

describe('JSON body limits of API routes', () => {
  let server: Server;
  let url: string;

  before(async () => {
    const app = express();
    app.use(
      identityMiddleware((req) => Promise.resolve(req.headers['x-role'] === 'seller' ? seller : admin)),
    );
    mountRoutes(app, routes, {});
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  async function post(path: string, body: string, role = 'admin') {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-role': role },
      body,
    });
    return { status: response.status, body: (await response.json()) as ErrorBody & { length?: number } };
  }

  const twoMb = 'x'.repeat(2 * MB);

  it('accepts up to 1 MB by default and answers a JSON 413 naming the limit beyond it', async () => {
    const small = await post('/notes', JSON.stringify({ text: 'x'.repeat(MB - 100) }));
    assert.equal(small.status, 200);
    assert.equal(small.body.length, MB - 100);

    const large = await post('/notes', JSON.stringify({ text: twoMb }));
    assert.equal(large.status, 413);
    assert.equal(large.body.error.code, 'PayloadTooLarge');
    assert.match(large.body.error.message, /larger than the 1 MB/);
  });

  it('lets a route declare a larger limit', async () => {
    const accepted = await post('/uploads', JSON.stringify({ data: twoMb }), 'seller');
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.length, twoMb.length);

    const refused = await post('/uploads', JSON.stringify({ data: twoMb + twoMb }), 'seller');
    assert.equal(refused.status, 413);
    assert.match(refused.body.error.message, /larger than the 3 MB/);
  });

  it('checks access before reading the body', async () => {
    const refused = await post('/notes', JSON.stringify({ text: twoMb }), 'seller');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'Forbidden');
  });

  it('answers a body that is not JSON with a JSON 400', async () => {
    const malformed = await post('/notes', '{"text": ');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'BadRequest');
    assert.match(malformed.body.error.message, /not valid JSON/);
  });
});
