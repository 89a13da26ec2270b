import { buildSync } from 'esbuild';
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';

/** Inside the workspace (tmp/ is ignored by git), so the bundle's `require`s find its node_modules. */
const OUTPUT_ROOT = path.join(__dirname, '..', '..', '..', 'tmp', 'envoy-sidecar-test');

/**
 * Bundles a TypeScript entry point into one executable file (a shebang for this Node), so a test
 * runs it as a real program. `envDefaults` are baked in as environment defaults the real
 * environment overrides: a Jest test's `process.env` is not what child processes inherit.
 */
export function bundleExecutable(entry: string, envDefaults: Record<string, string> = {}): string {
  mkdirSync(OUTPUT_ROOT, { recursive: true });
  const outfile = path.join(mkdtempSync(path.join(OUTPUT_ROOT, `${path.basename(entry, '.ts')}-`)), 'bin');
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    tsconfig: path.join(__dirname, '..', 'tsconfig.json'),
    outfile,
    banner: {
      js: `#!${process.execPath}\nObject.assign(process.env, ${JSON.stringify(envDefaults)}, { ...process.env });`,
    },
    logLevel: 'error',
  });
  chmodSync(outfile, 0o755);
  return outfile;
}
