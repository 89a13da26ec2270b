import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { load } from 'js-yaml';
import { kindVersionProblem, portsInUse } from './checks';
import { overrideDir, unbuiltImages, type BuiltImage } from './images-override';
import { summarizeOverlay } from './overlay';
import {
  downSteps,
  endpoints,
  upSteps,
  type Check,
  type ClusterOptions,
  type Engine,
  type Step,
  type UpContext,
} from './plan';

const OVERLAYS_DIR = 'k8s/overlays';
const KIND_CONFIG = 'k8s/cluster/kind-config.yaml';
const IMAGE_LIST = 'tools/images/images.json';
/** What goes into the images: a change here, uncommitted, keeps the commit's sha tags. */
const IMAGE_SOURCES = ['apps', 'libs', 'tools', 'package.json', 'package-lock.json'];

/** Every directory under k8s/overlays with a kustomization: adding an overlay needs no change here. */
const overlays = (): string[] =>
  existsSync(OVERLAYS_DIR)
    ? readdirSync(OVERLAYS_DIR, { withFileTypes: true })
        .filter(
          (entry) => entry.isDirectory() && existsSync(join(OVERLAYS_DIR, entry.name, 'kustomization.yaml')),
        )
        .map((entry) => entry.name)
        .sort()
    : [];

const USAGE = `Usage: npm run cluster -- <up|down|password> [options]

  up        create the kind cluster, build and load the images, apply an overlay, wait, print URLs
  down      delete the kind cluster
  password  print Grafana's admin password

Options:
  --overlay NAME              what to apply: a directory of k8s/overlays (default monitoring)
  --name NAME                 kind cluster name (default learnathon)
  --engine docker|podman      container engine (default: $CONTAINER_ENGINE, else docker)
  --dry-run                   print the commands instead of running them`;

const fail = (message: string): never => {
  process.stderr.write(`cluster: ${message}\n\n${USAGE}\n`);
  process.exit(2);
};

const stop = (message: string): never => {
  process.stderr.write(`cluster: ${message}\n`);
  process.exit(1);
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
  const known = overlays();
  if (!known.includes(values.overlay))
    fail(
      `--overlay must be one of ${known.join(', ')} (the directories of ${OVERLAYS_DIR}), got '${values.overlay}'`,
    );
  if (values.engine !== 'docker' && values.engine !== 'podman')
    fail(`--engine must be docker or podman, got '${values.engine}'`);
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(values.name))
    fail(`--name must be a lowercase DNS label, got '${values.name}'`);
  return {
    action: action as string,
    options: { name: values.name, overlay: values.overlay, engine: values.engine as Engine },
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

function capture(command: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  // A rendered overlay with its dashboards and Envoy configs outgrows the 1 MiB default.
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 2 ** 20 });
  return {
    ok: result.status === 0,
    stdout: result.stdout ?? '',
    stderr: result.stderr || result.error?.message || '',
  };
}

function readBuiltImages(): BuiltImage[] {
  const parsed = JSON.parse(readFileSync(IMAGE_LIST, 'utf8')) as { images?: BuiltImage[] };
  if (!Array.isArray(parsed.images)) return stop(`${IMAGE_LIST} has no "images" list`);
  return parsed.images;
}

function readHostPorts(): number[] {
  const config = load(readFileSync(KIND_CONFIG, 'utf8')) as {
    nodes?: { extraPortMappings?: { hostPort?: number }[] }[];
  };
  return (config.nodes ?? [])
    .flatMap((node) => node.extraPortMappings ?? [])
    .flatMap((mapping) => (mapping.hostPort ? [mapping.hostPort] : []));
}

function upContext(overlay: string): UpContext {
  const rendered = capture('kubectl', ['kustomize', join(OVERLAYS_DIR, overlay)]);
  if (!rendered.ok) stop(`kubectl kustomize ${OVERLAYS_DIR}/${overlay} failed: ${rendered.stderr.trim()}`);
  const head = capture('git', ['rev-parse', '--short=12', 'HEAD']);
  const sha = head.ok && /^[0-9a-f]{7,40}$/.test(head.stdout.trim()) ? head.stdout.trim() : undefined;
  const status = capture('git', ['status', '--porcelain', '--', ...IMAGE_SOURCES]);
  const summary = summarizeOverlay(rendered.stdout);
  const builtImages = readBuiltImages();
  const unbuilt = unbuiltImages(summary.localImages, builtImages);
  if (unbuilt.length > 0)
    stop(
      `overlay ${overlay} uses ${unbuilt.join(', ')}, which ${IMAGE_LIST} does not build: nothing would load ${unbuilt.length > 1 ? 'them' : 'it'} into kind`,
    );
  return {
    sha,
    uncommittedChanges: status.ok && status.stdout.trim() !== '',
    builtImages,
    hostPorts: readHostPorts(),
    overlay: summary,
  };
}

async function runCheck(check: Check): Promise<void> {
  if (check.kind === 'kind-version') {
    const version = capture('kind', ['version']);
    const problem = version.ok ? kindVersionProblem(version.stdout, check.minimum) : version.stderr.trim();
    if (problem) stop(problem);
    return;
  }
  const busy = await portsInUse(check.ports);
  if (busy.length > 0)
    stop(
      `host port ${busy.join(' and ')} ${busy.length > 1 ? 'are' : 'is'} in use, and kind publishes the cluster there (${KIND_CONFIG}): stop what listens (\`ss -ltnp 'sport = :${busy[0]}'\` shows it) and run up again`,
    );
}

const describeStep = (step: Step): string => {
  if ('writeFile' in step)
    return `write ${step.writeFile.path}:\n${step.writeFile.content.trimEnd().replace(/^/gm, '      ')}`;
  if ('check' in step)
    return step.check.kind === 'kind-version'
      ? `kind version   (v${step.check.minimum} or later)`
      : `ports ${step.check.ports.join(', ')} free on 127.0.0.1`;
  return `${step.command} ${step.args.join(' ')}`;
};

async function run(steps: Step[], dryRun: boolean, secret: string): Promise<void> {
  for (const step of steps) {
    process.stdout.write(`\n==> ${step.title}\n    ${describeStep(step)}\n`);
    if (dryRun) continue;
    const env = { ...process.env, ...step.env };
    if (
      step.skipIf &&
      spawnSync(step.skipIf.command, step.skipIf.args, { stdio: 'ignore', env }).status === 0
    ) {
      process.stdout.write('    already done\n');
      continue;
    }
    if ('check' in step) {
      await runCheck(step.check);
      continue;
    }
    if ('writeFile' in step) {
      mkdirSync(dirname(step.writeFile.path), { recursive: true });
      writeFileSync(step.writeFile.path, step.writeFile.content);
      continue;
    }
    const args = step.args.map((arg) => arg.replace('GENERATED', secret));
    const result = spawnSync(step.command, args, { stdio: 'inherit', env });
    if (result.status !== 0)
      stop(`step failed (${result.error?.message ?? `exit ${result.status}`}): ${describeStep(step)}`);
    if (args.includes('grafana-admin') && args.includes('create'))
      process.stdout.write(`    Grafana admin password: ${secret}\n`);
  }
}

function printPassword(name: string): void {
  requireTools(['kubectl']);
  const result = capture('kubectl', [
    '--context',
    `kind-${name}`,
    '-n',
    'monitoring',
    'get',
    'secret',
    'grafana-admin',
    '-o',
    'jsonpath={.data.password}',
  ]);
  if (!result.ok) fail(`no Grafana password found: ${result.stderr.trim()}`);
  process.stdout.write(`${Buffer.from(result.stdout, 'base64').toString('utf8')}\n`);
}

/** The commands and paths are relative to the workspace: the nearest directory up from here with an nx.json. */
function enterWorkspace(): void {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) stop(`run this inside the repository: no nx.json above ${process.cwd()}`);
    dir = parent;
  }
  process.chdir(dir);
}

async function main(): Promise<void> {
  enterWorkspace();
  const { action, options, dryRun } = readOptions(process.argv.slice(2));
  if (action === 'password') return printPassword(options.name);
  if (action === 'down') {
    if (!dryRun) requireTools(['kind']);
    return run(downSteps(options), dryRun, '');
  }
  requireTools(dryRun ? ['kubectl'] : ['kind', 'kubectl', options.engine]);
  const context = upContext(options.overlay);
  // The images override and, with podman, the image archive go here.
  if (!dryRun) mkdirSync(overrideDir(options.name), { recursive: true });
  await run(upSteps(options, context), dryRun, randomBytes(12).toString('base64url'));
  process.stdout.write(`\n${endpoints(context.overlay).join('\n')}\n`);
}

void main();
