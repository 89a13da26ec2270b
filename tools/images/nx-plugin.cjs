// @ts-check
/**
 * Nx inference plugin: every project with an entry in tools/images/images.json gets `docker-build`
 * and `kind-load`, so `npx nx run-many -t docker-build` builds every image. The targets are added
 * at the entry's `root`, whichever Dockerfile the entry names (the Node projects share
 * tools/images/node-service.Dockerfile).
 *
 * Plain CommonJS with JSDoc types (checked by `tsc -p tools/images`): Nx loads it as it is, on
 * Node 20, without a TypeScript transpiler. The work itself is done by the built images tool.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const IMAGE_LIST = 'tools/images/images.json';
const TOOL = 'node dist/tools/images/main.js';
/** The project that holds the images tool and the shared Dockerfile. */
const IMAGES_PROJECT = 'images';

/**
 * @typedef {{ buildTargetName?: string, loadTargetName?: string }} ImagesPluginOptions
 * @typedef {{ project: string, root: string, repository: string, tag: string }} ImageEntry
 */

/** @param {string} workspaceRoot @returns {ImageEntry[]} */
function readImageList(workspaceRoot) {
  const parsed = JSON.parse(readFileSync(path.join(workspaceRoot, IMAGE_LIST), 'utf8'));
  if (!Array.isArray(parsed.images)) throw new Error(`${IMAGE_LIST} must have an "images" array`);
  return parsed.images;
}

/**
 * @param {string} project
 * @param {ImageEntry[]} images
 * @param {ImagesPluginOptions} options
 * @returns {Record<string, import('@nx/devkit').TargetConfiguration>}
 */
function imageTargets(project, images, options) {
  const buildTarget = options.buildTargetName ?? 'docker-build';
  const loadTarget = options.loadTargetName ?? 'kind-load';
  const names = images.map((image) => `${image.repository}:${image.tag}`).join(', ');
  return {
    [buildTarget]: {
      executor: 'nx:run-commands',
      // The Dockerfile runs the Nx build itself; the host only needs the images tool.
      dependsOn: [{ projects: [IMAGES_PROJECT], target: 'build' }],
      // The result lives in the engine's image store, which Nx can neither cache nor restore.
      cache: false,
      // One build at a time: the builds share their first layers, and 2 cores are busy with one.
      parallelism: false,
      options: { command: `${TOOL} build --project ${project}` },
      metadata: { description: `Build ${names} (options: --engine=docker|podman)`, technologies: ['docker'] },
    },
    [loadTarget]: {
      executor: 'nx:run-commands',
      dependsOn: [{ target: buildTarget, params: 'forward' }],
      cache: false,
      parallelism: false,
      options: { command: `${TOOL} kind-load --project ${project}` },
      metadata: {
        description: `Load ${names} into kind (options: --cluster-name, --engine)`,
        technologies: ['docker'],
      },
    },
  };
}

/** @type {import('@nx/devkit').CreateNodesV2<ImagesPluginOptions>} */
const createNodes = [
  IMAGE_LIST,
  (imageLists, options, context) => {
    const images = readImageList(context.workspaceRoot);
    /** @type {Map<string, ImageEntry[]>} */
    const byRoot = new Map();
    for (const image of images) byRoot.set(image.root, [...(byRoot.get(image.root) ?? []), image]);
    /** @type {NonNullable<import('@nx/devkit').CreateNodesResult['projects']>} */
    const projects = {};
    for (const [root, listed] of byRoot) {
      const project = listed[0]?.project ?? '';
      projects[root] = {
        targets: imageTargets(project, listed, options ?? {}),
        // A change to the shared Dockerfile or the images tool makes every image affected, so
        // `nx affected -t docker-build` rebuilds them all.
        implicitDependencies: [IMAGES_PROJECT],
      };
    }
    return imageLists.map((imageList) => /** @type {const} */ ([imageList, { projects }]));
  },
];

module.exports = { name: 'learnathon-images', createNodes, createNodesV2: createNodes, imageTargets };
