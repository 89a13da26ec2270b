import { afterEach, beforeEach } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh directory under the OS temp dir for every test of the enclosing `describe` (or file),
 * removed with everything in it after the test. Call it at describe level; read the path inside a
 * test or hook through the returned function. Registers Jest hooks: specs only.
 */
export function useTempDir(prefix: string): () => string {
  let current: string | undefined;
  beforeEach(() => {
    current = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  });
  afterEach(() => {
    if (current) rmSync(current, { recursive: true, force: true });
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('useTempDir: the directory exists only while a test runs');
    return current;
  };
}
