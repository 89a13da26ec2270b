// @ts-check
/**
 * Nx inference plugin: every project with a Dockerfile listed in tools/images/images.json gets
 * `docker-build` and `kind-load`, so `npx nx run-many -t docker-build` builds every image.
 *
 * Plain CommonJS with JSDoc types (checked by `tsc -p tools/images`): Nx loads it as it is, on
 * Node 20, without a TypeScript transpiler. The work itself is done by the built images tool.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const IMAGE_LIST = 'tools/images/images.json';
const TOOL = 'node dist/tools/images/main.js';

/**
 * @typedef {{ buildTargetName?: string, loadTargetName?: string }} ImagesPluginOptions
 * @typedef {{ dockerfile: string, repository: string, tag: string }} ImageEntry
 */

/** @param {string} workspaceRoot @returns {ImageEntry[]} */
function readImageList(workspaceRoot) {
  const parsed = JSON.parse(readFileSync(path.join(workspaceRoot, IMAGE_LIST), 'utf8'));
  if (!Array.isArray(parsed.images)) throw new Error(`${IMAGE_LIST} must have an "images" array`);
  return parsed.images;
}

/**
 * @param {string} dockerfile workspace-relative, posix separators
 * @param {ImageEntry[]} images
 * @param {ImagesPluginOptions} options
 * @returns {Record<string, import('@nx/devkit').TargetConfiguration>}
 */
function imageTargets(dockerfile, images, options) {
  const buildTarget = options.buildTargetName ?? 'docker-build';
  const loadTarget = options.loadTargetName ?? 'kind-load';
  const names = images.map((image) => `${image.repository}:${image.tag}`).join(', ');
  return {
    [buildTarget]: {
      executor: 'nx:run-commands',
      // The Dockerfile runs the Nx build itself; the host only needs the images tool.
      dependsOn: [{ projects: ['images'], target: 'build' }],
      // The result lives in the engine's image store, which Nx can neither cache nor restore.
      cache: false,
      // One build at a time: the builds share their first layers, and 2 cores are busy with one.
      parallelism: false,
      options: { command: `${TOOL} build --dockerfile ${dockerfile}` },
      metadata: { description: `Build ${names} (options: --engine=docker|podman)`, technologies: ['docker'] },
    },
    [loadTarget]: {
      executor: 'nx:run-commands',
      dependsOn: [{ target: buildTarget, params: 'forward' }],
      cache: false,
      parallelism: false,
      options: { command: `${TOOL} kind-load --dockerfile ${dockerfile}` },
      metadata: {
        description: `Load ${names} into kind (options: --cluster-name, --engine)`,
        technologies: ['docker'],
      },
    },
  };
}

/** @type {import('@nx/devkit').CreateNodesV2<ImagesPluginOptions>} */
const createNodes = [
  '**/Dockerfile',
  (dockerfiles, options, context) => {
    const images = readImageList(context.workspaceRoot);
    return dockerfiles.flatMap((dockerfile) => {
      const listed = images.filter((image) => image.dockerfile === dockerfile);
      // A Dockerfile outside the image list (or outside any project) is not ours to build.
      if (listed.length === 0) return [];
      const root = path.posix.dirname(dockerfile);
      /** @type {import('@nx/devkit').CreateNodesResult} */
      const result = { projects: { [root]: { targets: imageTargets(dockerfile, listed, options ?? {}) } } };
      return [/** @type {const} */ ([dockerfile, result])];
    });
  },
];

module.exports = { name: 'learnathon-images', createNodes, createNodesV2: createNodes, imageTargets };
