import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Reads the real libs/ tree of this repository: every library file's concern has a spec beside it. */
const root = path.resolve(__dirname, '../../..');
const libsRoot = path.join(root, 'libs');
const SOURCE = /\.(ts|tsx|mts|cts)$/;
const SPEC = /\.spec\.(ts|tsx|mts|cts)$/;
const DECLARATIONS = /\.d\.(ts|mts|cts)$/;
/** Written by a generator (e.g. `npx nx run mesh:generate-types`), whose own drift test covers them. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'generated', '__generated__']);

function sourceFilesBelow(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFilesBelow(full);
    return SOURCE.test(entry.name) && !DECLARATIONS.test(entry.name) ? [full] : [];
  });
}

/** Every TypeScript file under libs/<scope>/<library>/src, relative to the repository root. */
function librarySources(): string[] {
  const sourceRoots = readdirSync(libsRoot, { withFileTypes: true })
    .filter((scope) => scope.isDirectory())
    .flatMap((scope) =>
      readdirSync(path.join(libsRoot, scope.name), { withFileTypes: true })
        .filter((library) => library.isDirectory())
        .map((library) => path.join(libsRoot, scope.name, library.name, 'src')),
    )
    .filter((sourceRoot) => existsSync(sourceRoot));
  return sourceRoots.flatMap(sourceFilesBelow).map((file) => path.relative(root, file));
}

const isIndex = (file: string) => path.basename(file).replace(SOURCE, '') === 'index';

describe('library specs', () => {
  const sources = librarySources();
  const concerns = sources.filter((file) => !SPEC.test(file) && !isIndex(file));
  const specs = sources.filter((file) => SPEC.test(file));

  it('finds the library sources it checks', () => {
    expect(concerns).toContain('libs/shared/service-runtime/src/config.ts');
    expect(specs).toContain('libs/shared/service-runtime/src/config.spec.ts');
  });

  it('every non-index source file under libs/ has a spec beside it', () => {
    const withoutSpec = concerns.filter((file) => !sources.includes(file.replace(SOURCE, '.spec.$1')));
    expect(withoutSpec).toEqual([]);
  });

  it('every spec under libs/ sits beside the source file whose concern it covers', () => {
    const withoutSource = specs.filter((spec) => !sources.includes(spec.replace(SPEC, '.$1')));
    expect(withoutSource).toEqual([]);
  });
});
