import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import {
  downSteps,
  endpoints,
  OVERLAYS,
  upSteps,
  type ClusterOptions,
  type Engine,
  type Overlay,
  type Step,
} from './plan';

const USAGE = `Usage: npm run cluster -- <up|down|password> [options]

  up        create the kind cluster, build and load the images, apply an overlay, wait, print URLs
  down      delete the kind cluster
  password  print Grafana's admin password

Options:
  --overlay base|monitoring   what to apply (default monitoring)
  --name NAME                 kind cluster name (default learnathon)
  --engine docker|podman      container engine (default: $CONTAINER_ENGINE, else docker)
  --dry-run                   print the commands instead of running them`;

const fail = (message: string): never => {
  process.stderr.write(`cluster: ${message}\n\n${USAGE}\n`);
  process.exit(2);
};

function readOptions(argv: string[]): { action: string; options: ClusterOptions; dryRun: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        overlay: { type: 'string', default: 'monitoring' },
        name: { type: 'string', default: 'learnathon' },
        engine: { type: 'string', default: process.env['CONTAINER_ENGINE'] || 'docker' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const [action] = positionals;
  if (!action || !['up', 'down', 'password'].includes(action))
    fail(`expected up, down or password, got '${action ?? ''}'`);
  if (!(OVERLAYS as readonly string[]).includes(values.overlay))
    fail(`--overlay must be one of ${OVERLAYS.join(', ')}, got '${values.overlay}'`);
  if (values.engine !== 'docker' && values.engine !== 'podman')
    fail(`--engine must be docker or podman, got '${values.engine}'`);
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(values.name))
    fail(`--name must be a lowercase DNS label, got '${values.name}'`);
  return {
    action: action as string,
    options: { name: values.name, overlay: values.overlay as Overlay, engine: values.engine as Engine },
    dryRun: values['dry-run'],
  };
}

function requireTools(tools: string[]): void {
  for (const tool of tools) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
    if (!found)
      fail(`'${tool}' is not installed: see the README section "On Kubernetes" for what to install`);
  }
}

function run(steps: Step[], dryRun: boolean, secret: string): void {
  for (const step of steps) {
    const args = step.args.map((arg) => arg.replace('GENERATED', secret));
    const shown = `${step.command} ${step.args.join(' ')}`;
    process.stdout.write(`\n==> ${step.title}\n    ${shown}\n`);
    if (dryRun) continue;
    const env = { ...process.env, ...step.env };
    if (
      step.skipIf &&
      spawnSync(step.skipIf.command, step.skipIf.args, { stdio: 'ignore', env }).status === 0
    ) {
      process.stdout.write('    already done\n');
      continue;
    }
    const result = spawnSync(step.command, args, { stdio: 'inherit', env });
    if (result.status !== 0) {
      process.stderr.write(
        `cluster: step failed (${result.error?.message ?? `exit ${result.status}`}): ${shown}\n`,
      );
      process.exit(1);
    }
    if (args.includes('grafana-admin') && args.includes('create'))
      process.stdout.write(`    Grafana admin password: ${secret}\n`);
  }
}

function main(): void {
  const { action, options, dryRun } = readOptions(process.argv.slice(2));
  if (action === 'password') {
    requireTools(['kubectl']);
    const result = spawnSync(
      'kubectl',
      [
        '--context',
        `kind-${options.name}`,
        '-n',
        'monitoring',
        'get',
        'secret',
        'grafana-admin',
        '-o',
        'jsonpath={.data.password}',
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) fail(`no Grafana password found: ${result.stderr.trim()}`);
    process.stdout.write(`${Buffer.from(result.stdout, 'base64').toString('utf8')}\n`);
    return;
  }
  if (!dryRun) requireTools(action === 'up' ? ['kind', 'kubectl', options.engine] : ['kind']);
  if (action === 'down') return run(downSteps(options), dryRun, '');
  run(upSteps(options), dryRun, randomBytes(12).toString('base64url'));
  process.stdout.write(`\n${endpoints(options.overlay).join('\n')}\n`);
}

main();
