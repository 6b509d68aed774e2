import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh folder under the OS temp dir, removed again by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  return { path: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
