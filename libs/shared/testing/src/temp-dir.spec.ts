import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTempDir } from './temp-dir';

describe('useTempDir', () => {
  const dir = useTempDir('temp-dir-spec');
  const seen: string[] = [];

  it('gives an empty directory under the OS temp dir, named with the prefix', () => {
    seen.push(dir());
    expect(path.dirname(dir())).toBe(os.tmpdir());
    expect(path.basename(dir())).toMatch(/^temp-dir-spec-/);
    writeFileSync(path.join(dir(), 'left-behind'), 'x');
  });

  it('gives the next test a new directory and removes the last one with its files', () => {
    seen.push(dir());
    expect(seen[1]).not.toBe(seen[0]);
    expect(existsSync(seen[0] ?? '')).toBe(false);
    expect(existsSync(dir())).toBe(true);
  });
});

describe('useTempDir before any test', () => {
  const dir = useTempDir('temp-dir-spec');
  let early: unknown;
  beforeAll(() => {
    // beforeAll runs before the per-test hook: there is no directory yet, and asking is a mistake.
    early = errorOrNothing(dir);
  });

  it('says so instead of handing out a path', () => {
    expect(early).toEqual(new Error('useTempDir: the directory exists only while a test runs'));
    expect(existsSync(dir())).toBe(true);
  });
});

function errorOrNothing(action: () => unknown): unknown {
  try {
    action();
    return undefined;
  } catch (error) {
    return error;
  }
}
