/**
 * Text that came from a customer dataset or a directory (account names, ids, people's names) before
 * it is shown or exported. Such text is data, never markup or a formula.
 */

/** NUL, other C0 controls but tab and line breaks, and the Unicode bidirectional overrides and isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const INVISIBLE_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** The text without NUL, stray control characters or bidi overrides (which can make a name read backwards). */
export function displayText(text: string): string {
  return text.replace(INVISIBLE_CONTROLS, '');
}

/** First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell, safe to open in Excel or Sheets: text is cleaned of invisible controls; a text that
 * starts like a formula is prefixed with a single quote and quoted, as OWASP's CSV-injection guidance
 * recommends; quotes are doubled. Numbers are written as they are.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = displayText(String(value));
  if (FORMULA_START.test(text)) return `"'${text.replace(/"/g, '""')}"`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
