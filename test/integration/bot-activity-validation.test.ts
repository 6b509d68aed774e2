import assert from 'node:assert/strict';
import { ConfigurationBotFrameworkAuthentication, type Response } from 'botbuilder';
import sinon from 'sinon';
import { checkActivity, serviceUrlAllowed } from '../../bot/activity-validation';
import { ValidatingAdapter } from '../../bot/botbuilder/adapter';
import { FakeConnector } from '../../local/fake-connector';
import { tenantOf } from '../support/enrichment-fixture';
import { startTestApp, type TestApp } from '../support/test-app';

const BOT = { id: '28:account-engagement', name: 'Account engagement' };

interface ErrorBody {
  error: { code: string; message: string };
}

describe('bot activity validation', () => {
  let app: TestApp;
  let tenantId: string;

  before(async () => {
    app = await startTestApp();
    tenantId = tenantOf(app);
  });
  after(async () => app?.close());

  const activity = (): Record<string, unknown> => ({
    type: 'message',
    id: 'activity-1',
    text: 'help',
    channelId: 'msteams',
    serviceUrl: 'https://smba.example.invalid/teams/',
    from: { id: '29:user', aadObjectId: 'a1b2', name: 'Ana Diaz' },
    recipient: BOT,
    conversation: { id: 'a:conversation', conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
  });

  async function post(body: unknown): Promise<{ status: number; body: ErrorBody; text: string }> {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as ErrorBody, text };
  }

  const cases: [string, (a: Record<string, unknown>) => unknown, RegExp][] = [
    ['no conversation', ({ conversation: _, ...rest }) => rest, /conversation/],
    ['a conversation without an id', (a) => ({ ...a, conversation: { tenantId } }), /conversation\.id/],
    ['a numeric from.id', (a) => ({ ...a, from: { id: 42 } }), /from\.id/],
    ['no from', ({ from: _, ...rest }) => rest, /from/],
    [
      'a numeric tenantId',
      (a) => ({ ...a, conversation: { id: 'a:c', tenantId: 7 } }),
      /conversation\.tenantId/,
    ],
    [
      'an object as channelData.tenant.id',
      (a) => ({ ...a, channelData: { tenant: { id: {} } } }),
      /tenant\.id/,
    ],
    [
      'two different tenants',
      (a) => ({ ...a, channelData: { tenant: { id: 'other' } } }),
      /different tenants/,
    ],
    ['a javascript: serviceUrl', (a) => ({ ...a, serviceUrl: 'javascript:alert(1)' }), /serviceUrl/],
    ['a data: serviceUrl', (a) => ({ ...a, serviceUrl: 'data:text/html,x' }), /serviceUrl/],
    ['a non-loopback http serviceUrl', (a) => ({ ...a, serviceUrl: 'http://evil.example/' }), /serviceUrl/],
    [
      'a serviceUrl with credentials',
      (a) => ({ ...a, serviceUrl: 'https://u:p@smba.example/' }),
      /serviceUrl/,
    ],
    ['no type', ({ type: _, ...rest }) => rest, /type/],
    [
      'an oversized conversation id',
      (a) => ({ ...a, conversation: { id: 'x'.repeat(5000) } }),
      /conversation\.id/,
    ],
    ['an array body', () => [activity()], /not a Bot Framework activity/],
  ];

  for (const [name, change, reason] of cases) {
    it(`answers 400 with a short reason for ${name}`, async () => {
      const answer = await post(change(activity()));
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.body.error.code, 'BadRequest');
      assert.match(answer.body.error.message, reason);
      assert.ok(answer.body.error.message.length <= 120, answer.body.error.message);
      assert.doesNotMatch(answer.text, /TypeError|Cannot read|at .*\.js|javascript:|evil/);
    });
  }

  it('answers a turn that fails with a short 500, never the error text', async () => {
    const connector = await new FakeConnector().start();
    // The connector refuses the reply, and then the turn error handler's apology.
    connector.script = [
      { status: 403, body: { error: { code: 'Forbidden', message: 'secret connector detail' } } },
      { status: 403, body: { error: { code: 'Forbidden', message: 'secret connector detail' } } },
    ];
    const logged = sinon.stub(console, 'error');
    try {
      const answer = await post({ ...activity(), serviceUrl: connector.url });
      assert.equal(answer.status, 500, answer.text);
      assert.deepEqual(answer.body, {
        error: { code: 'InternalError', message: 'The bot could not take this activity.' },
      });
      assert.ok(logged.called, 'the failure is logged');
    } finally {
      logged.restore();
      await connector.close();
    }
  });

  describe('in production', () => {
    const adapter = new ValidatingAdapter(
      new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: 'a0b1c2d3-0000-4000-8000-000000000001',
        MicrosoftAppPassword: 'not-a-secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: '0b1e5c3a-8f2d-4c6e-9a71-3d5f2b8c4e10',
      }),
      'production',
    );

    async function processed(body: unknown) {
      const sent: { status?: number; body?: unknown } = {};
      const res: Response = {
        socket: undefined,
        header: () => res,
        status: (code: number) => {
          sent.status = code;
          return res;
        },
        send: (value: unknown) => {
          sent.body = typeof value === 'string' ? JSON.parse(value) : value;
          return res;
        },
        end: () => res,
      };
      const logged = sinon.stub(console, 'error');
      try {
        await adapter.process(
          { method: 'POST', headers: {}, body: body as Record<string, unknown> },
          res,
          () => Promise.resolve(),
        );
      } finally {
        logged.restore();
      }
      return sent;
    }

    it('refuses a plain http connector, even on loopback', async () => {
      const sent = await processed({ ...activity(), serviceUrl: 'http://localhost:3978/' });
      assert.equal(sent.status, 400);
      assert.match(JSON.stringify(sent.body), /serviceUrl must be an https: URL/);
    });

    it('answers a missing Bot Framework token 401 with a short JSON error', async () => {
      const sent = await processed(activity());
      assert.equal(sent.status, 401);
      assert.deepEqual(sent.body, {
        error: { code: 'Unauthorized', message: 'The Bot Framework token is missing or invalid.' },
      });
    });
  });

  it('takes a valid activity, with a loopback http connector in local mode', () => {
    assert.deepEqual(checkActivity(activity(), 'local'), { ok: true });
    assert.deepEqual(checkActivity({ ...activity(), serviceUrl: 'http://127.0.0.1:56150/' }, 'local'), {
      ok: true,
    });
    assert.equal(
      checkActivity({ ...activity(), serviceUrl: 'http://localhost:3978/' }, 'production').ok,
      false,
    );
  });

  it('allows only https: connectors in production, and loopback http: in local mode', () => {
    assert.equal(serviceUrlAllowed('https://smba.trafficmanager.net/emea/', 'production'), true);
    assert.equal(serviceUrlAllowed('http://smba.trafficmanager.net/emea/', 'production'), false);
    assert.equal(serviceUrlAllowed('http://localhost:3978/', 'production'), false);
    assert.equal(serviceUrlAllowed('http://localhost:3978/', 'local'), true);
    assert.equal(serviceUrlAllowed('http://[::1]:3978/', 'local'), true);
    assert.equal(serviceUrlAllowed('http://10.0.0.1/', 'local'), false);
    for (const url of ['javascript:alert(1)', 'data:,x', 'file:///etc/passwd', 'not a url']) {
      assert.equal(serviceUrlAllowed(url, 'local'), false, url);
    }
  });
});
