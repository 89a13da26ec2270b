import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from './engine';
import { logLine, run } from './engine';
import { imageRefs, type ImageSpec } from './image-list';

/** A cold build installs the whole workspace; far beyond this something is stuck. */
const BUILD_TIMEOUT_MS = 30 * 60_000;

export interface BuildOptions {
  engine: Engine;
  workspaceRoot: string;
  sha: string | undefined;
  /** Overrides the Dockerfile's BUILD_IMAGE / RUNTIME_IMAGE defaults (e.g. a local base without a registry). */
  buildImage?: string | undefined;
  runtimeImage?: string | undefined;
  /** e.g. `host` where the default container network can't reach the npm registry. */
  network?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** false: podman keeps no intermediate images (the smoke test, which must not fill the disk run after run). */
  layerCache?: boolean;
}

/** The engine arguments for one image: every tag, the image's own build args, then the base overrides. */
export function buildArgs(image: ImageSpec, options: BuildOptions): string[] {
  const args = ['build', '--file', image.dockerfile];
  for (const ref of imageRefs(image, options.sha)) args.push('--tag', ref);
  // Filled from the entry's fields for the shared node-service.Dockerfile; a Dockerfile of its own may ignore them.
  const buildArgValues: Record<string, string | undefined> = {
    PROJECT: image.project,
    PROJECT_ROOT: image.root,
    PORT: image.port === null ? undefined : String(image.port),
    ...image.buildArgs,
    BUILD_IMAGE: options.buildImage,
    RUNTIME_IMAGE: options.runtimeImage,
    GIT_SHA: options.sha,
  };
  for (const [name, value] of Object.entries(buildArgValues)) {
    if (value !== undefined) args.push('--build-arg', `${name}=${value}`);
  }
  if (image.target) args.push('--target', image.target);
  if (options.network) args.push(`--network=${options.network}`);
  // podman (buildah) keys its layer cache on the instruction text, not on build-arg values outside
  // RUN: pinger v2 would reuse v1's `ENV PINGER_VERSION` layer, and with one Dockerfile for every
  // image (PROJECT differs for each), the frontend could reuse details' `COPY`. So podman builds
  // every image without its cache. Docker (BuildKit) gets this right.
  if (options.engine === 'podman') args.push(options.layerCache === false ? '--layers=false' : '--no-cache');
  args.push('.');
  return args;
}

export async function buildImages(images: ImageSpec[], options: BuildOptions): Promise<void> {
  for (const image of images) {
    if (!existsSync(path.join(options.workspaceRoot, image.dockerfile))) {
      throw new Error(
        `${image.dockerfile} does not exist (listed in tools/images/images.json for ${image.repository}:${image.tag})`,
      );
    }
    const started = Date.now();
    await run(options.engine, buildArgs(image, options), {
      cwd: options.workspaceRoot,
      env: { ...process.env, ...options.env, DOCKER_BUILDKIT: '1' },
      timeoutMs: BUILD_TIMEOUT_MS,
    });
    logLine(
      `built ${imageRefs(image, options.sha).join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
}
