import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deploymentContextOf, GENERATE_COMMAND, GENERATED_CONFIGMAPS, renderConfigMap } from './configmaps';
import { renderSidecarConfig } from './sidecar-config';
import { validateEnvoyConfig } from './validate';
import type { CliOutput } from './validate-cli';

/**
 * `node dist/libs/shared/mesh/generate-cli.js [--check]` (`npx nx run mesh:generate`), from the
 * workspace root: writes the committed Envoy ConfigMaps, each validated first; `--check` writes
 * nothing and exits 1 when a committed file differs from what would be written.
 */
export function runGenerateCli(args: string[], root: string, output: CliOutput): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    output.err(`unknown argument ${unknown.join(' ')}\nusage: generate-cli [--check]`);
    return 2;
  }
  const check = args.includes('--check');
  let failed = false;
  for (const entry of GENERATED_CONFIGMAPS) {
    const { errors } = validateEnvoyConfig(
      renderSidecarConfig(entry.sidecar, entry.options),
      deploymentContextOf(entry.sidecar),
    );
    if (errors.length > 0) {
      for (const error of errors) output.err(`${entry.path}: ${error}`);
      failed = true;
      continue;
    }
    const path = join(root, entry.path);
    const text = renderConfigMap(entry);
    if (check) {
      let committed: string | undefined;
      try {
        committed = readFileSync(path, 'utf8');
      } catch {
        committed = undefined;
      }
      if (committed === text) continue;
      output.err(
        `${entry.path}: ${committed === undefined ? 'missing' : 'out of date'}; run ${GENERATE_COMMAND}`,
      );
      failed = true;
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    output.out(`wrote ${entry.path}`);
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = runGenerateCli(process.argv.slice(2), process.cwd(), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
