import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './args';
import { readChanges, runBench } from './bench';
import { isFixtureRole, serveFixture } from './fixtures';
import { CHANGES_FILE, renderJson, renderMarkdown } from './report';
import type { BenchReport } from './types';

const EXIT = { ok: 0, failed: 1, badInput: 2, targetMissed: 3 } as const;

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** How to rerun exactly this: the Nx target when started through it, else the script. */
function commandLine(argv: readonly string[]): string {
  const args = argv.length > 0 ? ` ${argv.join(' ')}` : '';
  return process.env['NX_TASK_TARGET_PROJECT'] === 'bench'
    ? `NX_DAEMON=false npx nx run bench:bench${args ? ` --${args}` : ''}`
    : `node dist/tools/bench/main.js${args}`;
}

function writeMarkdown(report: BenchReport, options: BenchOptions): void {
  const markdownFile = path.join(options.outDir, 'benchmarks.md');
  writeFileSync(markdownFile, renderMarkdown(report, readChanges(CHANGES_FILE)));
  log(`wrote ${markdownFile}`);
}

function writeReport(report: BenchReport, options: BenchOptions): void {
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(path.join(options.outDir, 'benchmarks.json'), renderJson(report));
  writeMarkdown(report, options);
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseBenchArgs>;
  try {
    parsed = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message} (see --help)\n`);
    return EXIT.badInput;
  }
  if (parsed.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (parsed.options.renderOnly) {
    const jsonFile = path.join(parsed.options.outDir, 'benchmarks.json');
    writeMarkdown(JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchReport, parsed.options);
    return EXIT.ok;
  }
  const report = await runBench(parsed.options, commandLine(argv), log);
  writeReport(report, parsed.options);
  for (const check of report.targets)
    log(
      `${check.status.padEnd(12)} ${check.description}: ${check.measured?.toFixed(2) ?? 'n/a'} ${check.unit} (${check.comparison} ${check.threshold})`,
    );
  const missed = report.targets.filter((check) => check.status !== 'pass').length;
  if (missed > 0) log(`${missed} target(s) not met; see the report`);
  return parsed.options.check && missed > 0 ? EXIT.targetMissed : EXIT.ok;
}

const role = process.env['BENCH_ROLE'];
if (isFixtureRole(role)) {
  serveFixture(role);
} else {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      log(`failed: ${(error as Error)?.stack ?? String(error)}`);
      process.exit(EXIT.failed);
    },
  );
}
