import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { capture, logLine, requireProgram, run, ToolError, type Engine } from './engine';
import { imageRefs, type ImageSpec } from './image-list';

export const DEFAULT_CLUSTER = 'learnathon';

export interface KindLoadOptions {
  engine: Engine;
  clusterName: string;
  workspaceRoot: string;
  sha: string | undefined;
}

/** kind talks to its nodes through the engine it was created with; follow the image engine unless told otherwise. */
export function kindEnv(engine: Engine, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (engine !== 'podman' || env['KIND_EXPERIMENTAL_PROVIDER']) return env;
  return { ...env, KIND_EXPERIMENTAL_PROVIDER: 'podman' };
}

function requireCluster(clusterName: string, env: NodeJS.ProcessEnv): void {
  const clusters = capture('kind', ['get', 'clusters'], { env }).split('\n').filter(Boolean);
  if (!clusters.includes(clusterName)) {
    const known = clusters.length > 0 ? `existing: ${clusters.join(', ')}` : 'none exists';
    throw new ToolError(
      `no kind cluster named '${clusterName}' (${known}): create it with \`kind create cluster --name ${clusterName} --config k8s/cluster/kind-config.yaml\` or pass --cluster-name`,
    );
  }
}

/**
 * docker: `kind load docker-image`. podman: `kind load docker-image` only ever asks docker, so the
 * images go through an archive (`podman save` + `kind load image-archive`).
 */
export async function kindLoad(images: ImageSpec[], options: KindLoadOptions): Promise<void> {
  requireProgram('kind', ['version']);
  const env = kindEnv(options.engine);
  requireCluster(options.clusterName, env);
  const refs = images.flatMap((image) => imageRefs(image, options.sha));
  if (options.engine === 'docker') {
    await run('kind', ['load', 'docker-image', ...refs, '--name', options.clusterName], { env });
    return;
  }
  const archiveDir = path.join(options.workspaceRoot, 'tmp', 'images');
  mkdirSync(archiveDir, { recursive: true });
  const archive = path.join(archiveDir, `kind-load-${process.pid}.tar`);
  try {
    await run('podman', [
      'save',
      '--format',
      'docker-archive',
      '--multi-image-archive',
      '--output',
      archive,
      ...refs,
    ]);
    await run('kind', ['load', 'image-archive', archive, '--name', options.clusterName], { env });
  } finally {
    rmSync(archive, { force: true });
  }
  logLine(`loaded ${refs.join(', ')} into kind cluster ${options.clusterName}`);
}
