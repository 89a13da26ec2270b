import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The one list of images (also read by the Nx plugin and the k8s tests). */
export const IMAGE_LIST_PATH = 'tools/images/images.json';

/** Docker Hub is where an unqualified `learnathon/pinger` points, for docker, kind's containerd and Kubernetes alike. */
const DEFAULT_REGISTRY = 'docker.io';

export interface ImageSpec {
  /** Nx project the image is built from. */
  project: string;
  /** The project's folder, relative to the workspace root (its bundle is dist/<root>). */
  root: string;
  /** Relative to the workspace root; the build context is the workspace root. */
  dockerfile: string;
  /** The build stage to end at (`--target`); the Dockerfile's last stage when absent. */
  target?: string;
  /** e.g. `learnathon/pinger`, as the Kubernetes manifests write it. */
  repository: string;
  /** The stable tag the manifests use (`dev`, `v1`, `v2`). */
  tag: string;
  /** Second tag; `{sha}` is replaced with the short git commit. */
  shaTag: string;
  /** The port the service listens on in the container; null for a CLI. */
  port: number | null;
  buildArgs: Record<string, string>;
}

/** The image list is malformed; the message names the entry and the field. */
export class ImageListError extends Error {}

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
/** A workspace-relative folder or file: no leading slash, no `..`, posix separators. */
const RELATIVE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[\w.@-]+(?:\/[\w.@-]+)*$/;
const STAGE = /^[a-z][a-z0-9_.-]*$/;

export function loadImageList(workspaceRoot: string): ImageSpec[] {
  const file = path.join(workspaceRoot, IMAGE_LIST_PATH);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ImageListError(`cannot read ${IMAGE_LIST_PATH}: ${(error as Error).message}`);
  }
  return parseImageList(raw);
}

export function parseImageList(raw: unknown): ImageSpec[] {
  const images = (raw as { images?: unknown } | null)?.images;
  if (!Array.isArray(images) || images.length === 0)
    throw new ImageListError(`${IMAGE_LIST_PATH} must have a non-empty "images" array`);
  const specs = images.map((entry, index) => parseEntry(entry, `${IMAGE_LIST_PATH} images[${index}]`));
  const seen = new Set<string>();
  for (const spec of specs) {
    const ref = `${spec.repository}:${spec.tag}`;
    if (seen.has(ref)) throw new ImageListError(`${IMAGE_LIST_PATH} lists ${ref} twice`);
    seen.add(ref);
  }
  return specs;
}

function parseEntry(entry: unknown, where: string): ImageSpec {
  if (typeof entry !== 'object' || entry === null) throw new ImageListError(`${where} must be an object`);
  const value = entry as Record<string, unknown>;
  const text = (field: string, pattern?: RegExp): string => {
    const got = value[field];
    if (typeof got !== 'string' || got === '' || (pattern && !pattern.test(got))) {
      throw new ImageListError(`${where}.${field} is invalid: ${JSON.stringify(got)}`);
    }
    return got;
  };
  const port = value['port'];
  if (port !== null && !(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65_536)) {
    throw new ImageListError(`${where}.port must be a TCP port or null, got ${JSON.stringify(port)}`);
  }
  const shaTag = text('shaTag');
  if (!shaTag.includes('{sha}') || !TAG.test(shaTag.replace('{sha}', 'abc'))) {
    throw new ImageListError(
      `${where}.shaTag must contain {sha} and form a valid tag, got ${JSON.stringify(shaTag)}`,
    );
  }
  const target = value['target'] === undefined ? undefined : text('target', STAGE);
  return {
    project: text('project'),
    root: text('root', RELATIVE_PATH),
    dockerfile: text('dockerfile', RELATIVE_PATH),
    ...(target === undefined ? {} : { target }),
    repository: text('repository', NAME),
    tag: text('tag', TAG),
    shaTag,
    port: port as number | null,
    buildArgs: parseBuildArgs(value['buildArgs'], where),
  };
}

function parseBuildArgs(raw: unknown, where: string): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ImageListError(`${where}.buildArgs must be an object`);
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw new ImageListError(`${where}.buildArgs.${key} must be a string`);
  }
  return raw as Record<string, string>;
}

export function imagesForProject(images: ImageSpec[], project: string): ImageSpec[] {
  const matches = images.filter((image) => image.project === project);
  if (matches.length === 0)
    throw new ImageListError(`project ${project} has no entry in ${IMAGE_LIST_PATH}; add one to build it`);
  return matches;
}

/** The stable, fully qualified name the manifests use, e.g. docker.io/learnathon/pinger:v1. */
export function stableRef(image: ImageSpec): string {
  return `${DEFAULT_REGISTRY}/${image.repository}:${image.tag}`;
}

/** Fully qualified, so podman stores (and `podman save` writes) the same name docker and Kubernetes use. */
export function imageRefs(image: ImageSpec, sha: string | undefined): string[] {
  const refs = [stableRef(image)];
  if (sha) refs.push(`${DEFAULT_REGISTRY}/${image.repository}:${image.shaTag.replace('{sha}', sha)}`);
  return refs;
}
