import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PortInUseError } from '../server/listen';

export interface Playground {
  url: string;
  close(): Promise<void>;
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(port, 'the Agents Playground (PLAYGROUND_PORT)')
          : error,
      ),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The Agents Playground exited with code ${child.exitCode}.`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`The Agents Playground did not start within ${timeoutMs / 1000} s.`);
}

export interface PlaygroundOptions {
  /** Its configuration file's content (see playground-config.ts); the Playground's built-in one when absent. */
  config?: string;
  /** Where it writes its configuration and log (default: ./devTools, its own habit). */
  dir?: string;
}

/** The Microsoft 365 Agents Playground, as a child process, pointed at the bot on the `msteams` channel. */
export async function startPlayground(
  botEndpoint: string,
  port: number,
  options: PlaygroundOptions = {},
): Promise<Playground> {
  await assertPortFree(port);
  const dir = path.resolve(options.dir ?? 'devTools');
  const files: Record<string, string> = {
    M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'm365agentsplayground.log'),
  };
  if (options.config !== undefined) {
    files.M365_AGENTS_PLAYGROUND_CONFIG_PATH = path.join(dir, '.m365agentsplayground.yml');
    await mkdir(dir, { recursive: true });
    await writeFile(files.M365_AGENTS_PLAYGROUND_CONFIG_PATH, options.config);
  }
  const require = createRequire(import.meta.url);
  const cli = path.join(
    path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')),
    'cli.js',
  );
  const child = spawn(
    process.execPath,
    [cli, '-e', botEndpoint, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
    {
      stdio: ['ignore', 'pipe', 'pipe'], // The playground would open a browser itself; the start script prints the URL instead.
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', ...files },
    },
  );
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => `[playground] ${line}\n`)
      .join('');
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  const url = `http://localhost:${port}`;
  try {
    await waitForHttp(url, child, 60_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
