/**
 * The Graph simulator in a process of its own, so that serving (and generating) ten million
 * messages does not share an event loop or a core with the product being measured. It runs with
 * the simulator's defaults, limits included (per-mailbox concurrency and request rate → 429).
 */
import { startGraphSimulator, type GraphSimulator } from '../local/graph-simulator';
import type { GraphCounts, SimulatorReply, SimulatorRequest } from './ipc';
import { workloadTenant } from './workload';

let simulator: GraphSimulator | undefined;

const send = (reply: SimulatorReply) => process.send?.(reply);

/** The simulator's request and throttle counters since it started. */
function graphCounts(): GraphCounts {
  const stats = simulator?.stats;
  if (!stats) return { requests: 0, batchItems: 0, throttled: 0, faults: {} };
  return {
    requests: stats.requests,
    batchItems: stats.batchItems,
    throttled: stats.byStatus[429] ?? 0,
    faults: { ...stats.faults },
  };
}

process.on('message', (request: SimulatorRequest) => {
  void (async () => {
    switch (request.type) {
      case 'start': {
        const tenant = workloadTenant(request.workload, 32);
        simulator = await startGraphSimulator({
          tenant: tenant.source,
          tls: request.tls,
          port: 0,
          requestLogSize: 100,
        });
        send({ type: 'ready', url: simulator.url, tenantId: tenant.tenant.id, summary: tenant.summary });
        break;
      }
      case 'stats': {
        const cpu = process.cpuUsage();
        send({
          type: 'stats',
          graph: graphCounts(),
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
