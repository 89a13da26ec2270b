/**
 * Envoy's command-line contract for hot restart, in one place: what the supervisor passes for a
 * config check and for each restart epoch.
 */

export interface EnvoyCommandOptions {
  concurrency: number;
  drainTimeS: number;
  parentShutdownTimeS: number;
  /** Where epoch 0 writes the base id it picked; later epochs are given that id. */
  baseIdPath: string;
}

/** `--mode validate` checks a config (and its schema) and exits; it starts no server and touches no shared memory. */
export function validateArgs(configPath: string): string[] {
  return ['--mode', 'validate', '-c', configPath];
}

/**
 * Epoch 0 asks Envoy for a base id nobody is using (`--use-dynamic-base-id`), so a stale
 * `/dev/shm/envoy_shared_memory_*` or domain socket left by an earlier container of the same pod
 * cannot collide with it. Envoy refuses the dynamic id for any epoch but 0, so later epochs get
 * the id it wrote to `--base-id-path`.
 */
export function epochArgs(
  configPath: string,
  epoch: number,
  baseId: string | undefined,
  options: EnvoyCommandOptions,
): string[] {
  if (epoch > 0 && baseId === undefined) throw new Error(`epoch ${epoch} needs the base id of epoch 0`);
  const identity =
    epoch === 0
      ? ['--use-dynamic-base-id', '--base-id-path', options.baseIdPath]
      : ['--base-id', baseId as string];
  return [
    '-c',
    configPath,
    '--restart-epoch',
    String(epoch),
    ...identity,
    '--concurrency',
    String(options.concurrency),
    '--drain-time-s',
    String(options.drainTimeS),
    '--parent-shutdown-time-s',
    String(options.parentShutdownTimeS),
  ];
}

/** Envoy's words when a new epoch starts before the previous one finished starting: retry the same epoch later. */
const STILL_INITIALIZING = /previous envoy process is still initializing/i;

export function isStillInitializing(output: string): boolean {
  return STILL_INITIALIZING.test(output);
}

/** The base id file holds one decimal integer (Envoy writes it with no newline). */
export function parseBaseId(text: string, path: string): string {
  const id = text.trim();
  if (!/^\d+$/.test(id)) throw new Error(`${path} should hold Envoy's base id, got '${id.slice(0, 40)}'`);
  return id;
}
