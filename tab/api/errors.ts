import type { z } from 'zod';

export interface FieldProblem {
  /** Dotted path of the field, e.g. `mapping.emailField`; empty for the whole request. */
  field: string;
  message: string;
}

/** An error answered as `{ error: { code, message, fields? } }` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields.length ? { fields: this.fields } : {}),
      },
    };
  }
}

export const notFound = (what: string) => new ApiError(404, 'NotFound', `${what} was not found.`);
export const conflict = (message: string) => new ApiError(409, 'Conflict', message);
export const forbidden = (message: string) => new ApiError(403, 'Forbidden', message);

export function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

/** 400 for a malformed request (wrong types, missing fields), naming every field at once. */
export function badRequest(error: z.ZodError, part: 'body' | 'query' | 'params'): ApiError {
  const fields = fieldProblems(error, part === 'body' ? '' : part);
  return new ApiError(
    400,
    'BadRequest',
    `The request's ${part} is not valid: ${fields.map((f) => `${f.field || part}: ${f.message}`).join('; ')}`,
    fields,
  );
}

/** 422 for a well-formed request whose content cannot be accepted, naming every problem at once. */
export function unprocessable(message: string, fields: FieldProblem[]): ApiError {
  return new ApiError(422, 'Unprocessable', message, fields);
}
