import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the connector answers one request: a status (with headers), or a connection cut mid-request. */
export type ConnectorAnswer = { status: number; headers?: Record<string, string>; body?: unknown } | 'reset';

export interface ReceivedActivity {
  conversationId: string;
  activity: Record<string, unknown>;
}

/**
 * A Bot Connector stand-in for tests and the bot benchmark: the bot's replies and proactive messages are POSTed to it
 * (`/v3/conversations/{id}/activities[/{replyToId}]`). Answers follow `script` one per request,
 * then 200 with a new activity id; `received` lists what arrived (a reset request arrived too).
 * Member lookups (`GET /v3/conversations/{id}/members/{memberId}`, as `TeamsInfo.getMember` makes)
 * are answered from `members`, else 404.
 */
export class FakeConnector {
  readonly received: ReceivedActivity[] = [];
  script: ConnectorAnswer[] = [];
  /** Teams channel accounts by member id (`29:…`). */
  readonly members = new Map<string, { id: string; name: string; email: string; aadObjectId: string }>();
  /** Called for each activity that arrived (for tests that wait for replies). */
  onActivity: (received: ReceivedActivity) => void = () => undefined;
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private next = 1;

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
    const member = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(req.url ?? '');
    if (req.method === 'GET' && member) {
      const found = this.members.get(decodeURIComponent(member[1] ?? ''));
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found ?? { error: { code: 'NotFound', message: 'no such member' } }));
      return;
    }
    if (req.method !== 'POST' && req.method !== 'PUT') {
      res.writeHead(404).end();
      return;
    }
    const received: ReceivedActivity = {
      conversationId: decodeURIComponent(match?.[1] ?? ''),
      activity: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>,
    };
    this.received.push(received);
    this.onActivity(received);
    const answer = this.script.shift() ?? { status: 200 };
    if (answer === 'reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(
      JSON.stringify(
        answer.body ??
          (answer.status < 300
            ? { id: `activity-${this.next++}` }
            : { error: { code: 'Failure', message: `HTTP ${answer.status}` } }),
      ),
    );
  }
}
