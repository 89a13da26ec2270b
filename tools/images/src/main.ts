import path from 'node:path';
import { ensureBaseImage } from './base-image';
import { buildImages } from './build';
import { parseCommandLine, USAGE, UsageError, type CliOptions } from './cli';
import { requireEngine, ToolError } from './engine';
import { gitShortSha } from './git';
import { ImageListError, imagesForProject, loadImageList } from './image-list';
import { kindLoad } from './kind-load';
import { smoke } from './smoke';

/** Nx runs targets from the workspace root; so does everyone who follows the README. */
const workspaceRoot = process.cwd();

/** smoke and base-image run podman the way setup-podman.sh sets it up, unless told otherwise. */
function useSmokeContainersConf(): void {
  process.env['CONTAINERS_CONF'] ??= path.join(workspaceRoot, 'tools', 'images', 'containers.conf');
}

async function main(options: CliOptions): Promise<number> {
  if (options.command === 'smoke' || options.command === 'base-image') useSmokeContainersConf();
  if (options.command === 'smoke')
    return smoke({ workspaceRoot, rebuild: options.rebuild, network: options.network });
  if (options.command === 'base-image') {
    await ensureBaseImage({ workspaceRoot, rebuild: options.rebuild });
    return 0;
  }
  const all = loadImageList(workspaceRoot);
  const images = options.project ? imagesForProject(all, options.project) : all;
  requireEngine(options.engine);
  const sha = gitShortSha(workspaceRoot);
  if (options.command === 'build') {
    await buildImages(images, { ...options, workspaceRoot, sha });
  } else {
    await kindLoad(images, { engine: options.engine, clusterName: options.clusterName, workspaceRoot, sha });
  }
  return 0;
}

function exitWith(error: unknown): void {
  const known = error instanceof UsageError || error instanceof ToolError || error instanceof ImageListError;
  process.stderr.write(
    `images: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
  );
  if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else {
  try {
    main(parseCommandLine(process.argv.slice(2))).then((code) => (process.exitCode = code), exitWith);
  } catch (error) {
    exitWith(error);
  }
}
