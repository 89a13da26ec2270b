import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveEngine, type Engine } from './engine';
import { DEFAULT_CLUSTER } from './kind-load';

export const COMMANDS = ['build', 'kind-load', 'base-image', 'smoke'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  engine: Engine;
  /** Restricts build/kind-load to one project's images; all images when absent. */
  project: string | undefined;
  clusterName: string;
  buildImage: string | undefined;
  runtimeImage: string | undefined;
  network: string | undefined;
  rebuild: boolean;
}

/** Bad command-line input: one line that names the option. */
export class UsageError extends Error {}

export const USAGE = `Usage: node dist/tools/images/main.js <command> [options]

Commands:
  build        build the images in tools/images/images.json (docker default; podman with --engine)
  kind-load    load the built images into a kind cluster
  base-image   make ${'localhost/learnathon-node-base:20'} with podman (debootstrap + this machine's node)
  smoke        podman end to end: base image, build every image, run and probe each one

Options:
  --project <name>         only the images of this Nx project (e.g. pinger: v1 and v2)
  --engine <docker|podman> container engine (default: $CONTAINER_ENGINE, else docker)
  --cluster-name <name>    kind cluster for kind-load (default ${DEFAULT_CLUSTER})
  --build-image <image>    base for the build stage (default: the Dockerfile's BUILD_IMAGE)
  --runtime-image <image>  base for the runtime stage (default: the Dockerfile's RUNTIME_IMAGE)
  --network <mode>         build network, e.g. host where the default network can't reach npm
  --rebuild                base-image/smoke: make the base image again even if cached`;

/** The options USAGE describes, as node:util parseArgs reads them. */
const OPTIONS = {
  project: { type: 'string' },
  engine: { type: 'string' },
  'cluster-name': { type: 'string' },
  'build-image': { type: 'string' },
  'runtime-image': { type: 'string' },
  network: { type: 'string' },
  rebuild: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (positionals.length !== 1 || !(COMMANDS as readonly string[]).includes(command ?? '')) {
    throw new UsageError(
      `expected one command (${COMMANDS.join(', ')}), got ${positionals.length === 0 ? 'none' : `'${positionals.join(' ')}'`}`,
    );
  }
  const clusterName = values['cluster-name'] ?? DEFAULT_CLUSTER;
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(clusterName))
    throw new UsageError(
      `--cluster-name must be a kind cluster name like ${DEFAULT_CLUSTER}, got '${clusterName}'`,
    );
  return {
    command: command as Command,
    engine: command === 'smoke' || command === 'base-image' ? 'podman' : resolveEngine(values.engine, env),
    project: values.project,
    clusterName,
    buildImage: values['build-image'] ?? env['BUILD_IMAGE'],
    runtimeImage: values['runtime-image'] ?? env['RUNTIME_IMAGE'],
    network: values.network,
    rebuild: values.rebuild ?? false,
  };
}
