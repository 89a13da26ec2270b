import type { ImageSpec } from '../src/image-list';

/** A pinger image as images.json lists it (v1 and v2 are one codebase, told apart by a build argument). */
export function pingerImage(version: 'v1' | 'v2'): ImageSpec {
  return {
    project: 'pinger',
    root: 'apps/pinger',
    dockerfile: 'tools/images/node-service.Dockerfile',
    repository: 'learnathon/pinger',
    tag: version,
    shaTag: `${version}-{sha}`,
    port: 3000,
    buildArgs: { PINGER_VERSION: version },
  };
}
