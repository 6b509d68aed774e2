/**
 * The Graph simulator in a process of its own, so that serving (and generating) ten million
 * messages does not share an event loop or a core with the product being measured.
 */
import { startGraphSimulator, type GraphSimulator } from '../test/graph-simulator';
import type { GeneratedTenant } from '../test/graph-simulator';
import type { ChangeSummary, SimulatorReply, SimulatorRequest } from './ipc';
import { workloadTenant } from './workload';

let simulator: GraphSimulator | undefined;
let tenant: GeneratedTenant | undefined;

const send = (reply: SimulatorReply) => process.send?.(reply);

/**
 * Changes `fraction` of every seller's mail inside the window: half of the changed messages are
 * updated in place (flagged, as a seller does), half are new copies of existing mail received just
 * before T. The changes live in the simulator's overlay; the generated tenant itself stays lazy.
 */
function changeMail(fraction: number): ChangeSummary {
  if (!simulator || !tenant) throw new Error('the simulator is not started');
  const started = performance.now();
  const asOf = tenant.asOf.getTime();
  const windowStart = asOf - 365 * 86_400_000;
  const summary: ChangeSummary = { mailboxes: 0, updated: 0, added: 0, messages: 0, ms: 0 };
  for (const { id: userId } of tenant.sellers) {
    const messages = tenant
      .mailbox(userId)
      .messages.filter((m) => !m.isDraft && m.received !== null && m.received >= windowStart);
    const count = Math.round(messages.length * fraction);
    if (count === 0) continue;
    summary.mailboxes++;
    summary.messages += messages.length;
    const step = messages.length / count;
    for (let i = 0; i < count; i++) {
      const message = messages[Math.floor(i * step)];
      if (!message) continue;
      if (i % 2 === 0) {
        simulator.updateMessage(userId, message.id, { flag: { flagStatus: 'flagged' } });
        summary.updated++;
      } else {
        const { id: _id, ...copy } = message.toGraph();
        const instant = new Date(asOf - (i + 1) * 60_000).toISOString().replace('.000Z', 'Z');
        simulator.addMessage(userId, {
          ...copy,
          internetMessageId: `<bench-${userId}-${i}@fabrikam.com>`,
          sentDateTime: instant,
          receivedDateTime: instant,
        });
        summary.added++;
      }
    }
  }
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

process.on('message', (request: SimulatorRequest) => {
  void (async () => {
    switch (request.type) {
      case 'start': {
        tenant = workloadTenant(request.workload, 32);
        simulator = await startGraphSimulator({
          tenant: tenant.source,
          tls: request.tls,
          port: 0,
          requestLogSize: 100,
        });
        send({ type: 'ready', url: simulator.url, tenantId: tenant.tenant.id, summary: tenant.summary });
        break;
      }
      case 'change':
        send({ type: 'changed', change: changeMail(request.fraction) });
        break;
      case 'stats': {
        const cpu = process.cpuUsage();
        send({
          type: 'stats',
          requests: simulator?.stats.requests ?? 0,
          rss: process.resourceUsage().maxRSS * 1024,
          cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        });
        break;
      }
    }
  })().catch((error: unknown) => {
    process.stderr.write(`bench simulator: ${(error as Error).message}\n`);
    process.exit(1);
  });
});

process.on('disconnect', () => {
  void (simulator?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
