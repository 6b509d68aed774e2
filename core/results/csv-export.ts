import type { EngagementRow } from '../engine';
import { csvCell } from '../text/display-text';
import { ROW_COLUMNS } from './columns';

/** Rows as CSV in the contract's column order, every cell safe to open in a spreadsheet (the API's export and the CLI). */
export function formatCsv(rows: readonly EngagementRow[]): string {
  const lines = [ROW_COLUMNS.join(',')];
  for (const row of rows) lines.push(ROW_COLUMNS.map((column) => csvCell(row[column])).join(','));
  return `${lines.join('\n')}\n`;
}
