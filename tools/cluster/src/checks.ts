import { isPortFree } from '@learnathon/process';

/** The ports of `ports` that something on 127.0.0.1 already listens on. */
export async function portsInUse(ports: readonly number[]): Promise<number[]> {
  const free = await Promise.all(ports.map((port) => isPortFree(port)));
  return ports.filter((_, index) => !free[index]);
}

/** `kind version` prints e.g. "kind v0.29.0 go1.24.2 linux/amd64". */
export function kindVersionProblem(versionOutput: string, minimum: string): string | undefined {
  const match = /\bv(\d+)\.(\d+)\.(\d+)/.exec(versionOutput);
  if (!match) return `cannot read the kind version from '${versionOutput.trim()}'`;
  const found = match.slice(1, 4).map(Number);
  const wanted = minimum.split('.').map(Number);
  const index = found.findIndex((part, position) => part !== wanted[position]);
  const tooOld = index !== -1 && (found[index] as number) < (wanted[index] as number);
  return tooOld
    ? `kind v${found.join('.')} is too old: v${minimum} or later is needed (see k8s/cluster/kind-config.yaml)`
    : undefined;
}
