import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { load, loadAll } from 'js-yaml';

/** k8s/ in the repository. */
export const K8S_ROOT = join(__dirname, '..');
export const OVERLAYS_DIR = join(K8S_ROOT, 'overlays');

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A rendered Kubernetes object: typed only as far as the checks need it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Every overlay directory: each one is a complete, deployable variant. */
export function listOverlays(): string[] {
  return readdirSync(OVERLAYS_DIR, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(OVERLAYS_DIR, entry.name, 'kustomization.yaml')),
    )
    .map((entry) => entry.name)
    .sort();
}

function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, binary)));
}

/** The standalone `kustomize` when installed, else the one built into kubectl: both render offline. */
function kustomizeCommand(dir: string): [string, string[]] {
  return onPath('kustomize') ? ['kustomize', ['build', dir]] : ['kubectl', ['kustomize', dir]];
}

/** Renders a kustomization directory to YAML; throws with kustomize's own message on failure. */
export function kustomizeBuild(dir: string): string {
  const [command, args] = kustomizeCommand(dir);
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`);
  }
}

export function parseObjects(yamlText: string): K8sObject[] {
  return loadAll(yamlText).filter(
    (document): document is K8sObject => document !== null && typeof document === 'object',
  );
}

const rendered = new Map<string, K8sObject[]>();

/** The objects `kubectl apply -k k8s/overlays/NAME` would send, rendered once per test file. */
export function renderOverlay(name: string): K8sObject[] {
  const cached = rendered.get(name);
  if (cached) return cached;
  const objects = parseObjects(kustomizeBuild(join(OVERLAYS_DIR, name)));
  rendered.set(name, objects);
  return objects;
}

export const describeObject = (object: K8sObject) =>
  `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;

export interface KindNode {
  role: string;
  image?: string;
  extraPortMappings?: { containerPort: number; hostPort: number; listenAddress?: string }[];
}

export interface KindConfig {
  kind: string;
  networking?: { podSubnet?: string; serviceSubnet?: string };
  nodes: KindNode[];
}

/** k8s/cluster/kind-config.yaml, the cluster `npm run cluster -- up` creates. */
export const kindConfig = (): KindConfig =>
  load(readFileSync(join(K8S_ROOT, 'cluster', 'kind-config.yaml'), 'utf8')) as KindConfig;
