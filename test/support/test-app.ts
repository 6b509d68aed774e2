import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';
import { testLocalSettings } from './local-settings';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestApp {
  stack: LocalStack;
  url: string;
  /** Calls the API as the development identity; `body` is sent as JSON. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>>;
  close(): Promise<void>;
}

export interface TestAppOptions extends Pick<LocalStackOptions, 'now' | 'runs' | 'tenant' | 'bot'> {
  /**
   * Keep the Cosmos data in this folder (snapshot on close, restored by the next app started with
   * it) instead of in memory; the caller removes the folder.
   */
  dataDir?: string;
}

/** The whole product on ephemeral ports with an in-memory store: the real server, Cosmos and Graph simulator. */
export async function startTestApp(
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const { dataDir, ...stackOptions } = options;
  const { settings, cleanup } = testLocalSettings({
    ...overrides,
    ...(dataDir ? { LOCAL_DATA_DIR: dataDir } : {}),
  });
  const stack = await startLocalStack(settings, { ephemeral: !dataDir, ...stackOptions });
  const url = stack.server.url;
  return {
    stack,
    url,
    async api<T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return {
        status: response.status,
        body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
        headers: response.headers,
      };
    },
    async close() {
      await stack.close();
      cleanup();
    },
  };
}
