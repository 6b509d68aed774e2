/** One field the API found at fault, by its dotted path (e.g. `mapping.emailField`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An error answered by the API (`{ error: { code, message, fields? } }`), or a network failure (status 0). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  /** The messages for a field and anything inside it (`tracked` matches `tracked.addresses[3]`). */
  fieldMessage(field: string): string | undefined {
    const messages = this.fields
      .filter((f) => f.field === field || f.field.startsWith(`${field}.`) || f.field.startsWith(`${field}[`))
      .map((f) => f.message);
    return messages.length ? messages.join(' ') : undefined;
  }
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

type TokenSource = () => Promise<string | undefined>;

let tokenSource: TokenSource = () => Promise.resolve(undefined);

/** Inside Teams, every request carries the SSO token from this source; outside, none is sent. */
export function setTokenSource(source: TokenSource): void {
  tokenSource = source;
}

export function apiUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return `/api${path}${text ? `?${text}` : ''}`;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const token = await tokenSource();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiProblem(
      0,
      'NetworkError',
      'The service could not be reached. Check the connection and try again.',
    );
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text) as {
      error?: { code?: string; message?: string; fields?: Partial<FieldProblem>[] };
    };
    if (error?.message) {
      // A problem with the request as a whole may come without a field name.
      const fields = (error.fields ?? []).map((f) => ({ field: f.field ?? '', message: f.message ?? '' }));
      return new ApiProblem(response.status, error.code ?? 'Error', error.message, fields);
    }
  } catch {
    // Not JSON: fall through to a message from the status.
  }
  return new ApiProblem(
    response.status,
    'HttpError',
    `The service answered ${response.status} ${response.statusText}.`,
  );
}

/** Calls a JSON operation of the API; throws ApiProblem for any error answer. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads a file answer (e.g. a CSV export) with the same credentials as any other call. */
export async function download(
  path: string,
  fileName: string,
  query: Record<string, QueryValue> = {},
): Promise<void> {
  const response = await send('GET', path, { query });
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
