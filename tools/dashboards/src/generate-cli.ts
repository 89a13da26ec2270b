import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARD_OUTPUTS, renderOutput } from './outputs';

/** Writes every dashboard's JSON where its component provisions it (outputs.spec.ts fails on drift). */
function main(argv: readonly string[]): void {
  if (argv.length > 0) throw new Error(`takes no arguments, got: ${argv.join(' ')}`);
  for (const output of DASHBOARD_OUTPUTS) {
    const target = path.join(process.cwd(), output.file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, renderOutput(output));
    process.stdout.write(`wrote ${output.file}\n`);
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`dashboards: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
