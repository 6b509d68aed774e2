/**
 * The embedded Cosmos DB's own process (started by cosmos-process.ts): one `start`, any number of
 * `snapshot`s, one `close`. It exits when its parent goes, without a last snapshot: every
 * acknowledged write is already in the journal, and a new process may be replaying it.
 */
import { startEmbeddedCosmos, type EmbeddedCosmos } from './embedded-cosmos';
import { PortInUseError } from '../server/listen';
import type { CosmosProcessMessage, CosmosProcessRequest } from './cosmos-process';
import { errorMessage } from '../core/text/error-text';

const tell = (message: CosmosProcessMessage, then?: () => void) =>
  process.send?.(message, undefined, undefined, then);
let cosmos: EmbeddedCosmos | undefined;

process.on('disconnect', () => process.exit(0));
process.on('message', (request: CosmosProcessRequest) => {
  if (request.type === 'start') {
    startEmbeddedCosmos({ ...request.options, log: (line) => tell({ type: 'log', line }) }).then(
      (started) => {
        cosmos = started;
        tell({ type: 'ready', connection: started.connection, recovery: started.recovery });
      },
      (error: unknown) => {
        const portInUse =
          error instanceof PortInUseError ? { port: error.port, what: error.what } : undefined;
        tell({ type: 'failed', message: errorMessage(error), ...(portInUse ? { portInUse } : {}) }, () =>
          process.exit(1),
        );
      },
    );
  } else if (request.type === 'snapshot') {
    (cosmos?.snapshot() ?? Promise.resolve()).then(
      () => tell({ type: 'snapshot-done', id: request.id }),
      (error: unknown) => tell({ type: 'snapshot-done', id: request.id, error: errorMessage(error) }),
    );
  } else {
    void (cosmos?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  }
});
