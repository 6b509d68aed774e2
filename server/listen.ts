import type { Server } from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly what: string,
  ) {
    super(`Port ${port} for ${what} is already in use. Stop whatever holds it, or choose another port.`);
    this.name = 'PortInUseError';
  }
}

/** Listens on loopback; a taken port fails at once with a message that says which setting to change. */
export function listenOrExplain(
  server: Server,
  port: number,
  what: string,
  host = '127.0.0.1',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, what) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
