/** Longest id made from a name. */
export const MAX_SLUG_LENGTH = 64;

/** An id made from a name: lower-case letters and digits joined by single hyphens ("EMEA Sales 2" → "emea-sales-2"). */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
}

/** What an id made by `slugOf` looks like. */
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
