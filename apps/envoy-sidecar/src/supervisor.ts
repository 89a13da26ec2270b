import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@learnathon/service-runtime';
import { sha256 } from './config-watcher';
import { drainListeners, readServerInfo } from './envoy-admin';
import {
  epochArgs,
  isStillInitializing,
  parseBaseId,
  validateArgs,
  type EnvoyCommandOptions,
} from './envoy-command';
import { EnvoyProcess, exitStatus, runToCompletion } from './envoy-process';
import type { ReloadResult, SidecarMetrics } from './sidecar-metrics';

export interface SupervisorOptions {
  envoyBinary: string;
  envoyConfig: string;
  envoyAdminUrl: string;
  envoyConcurrency: number;
  envoyDrainTimeS: number;
  envoyParentShutdownTimeS: number;
  stateDir: string;
  startTimeoutS: number;
  shutdownTimeoutS: number;
  logger: Logger;
  metrics: SidecarMetrics;
  /** First wait before retrying an epoch whose parent was still initializing; doubles up to 5 s. */
  retryDelayMs?: number;
  /** How often admin is asked whether the new epoch is up. */
  confirmIntervalMs?: number;
}

export interface ReloadRecord {
  at: string;
  result: ReloadResult;
  /** The epoch in force after this reload. */
  epoch: number;
  /** The config this reload tried. */
  configHash: string;
  message: string;
}

export interface SidecarStatus {
  epoch: number;
  configHash: string;
  configPath: string;
  ready: boolean;
  envoyPids: number[];
  lastReload: ReloadRecord | null;
}

/** Why the supervisor stops on its own: Envoy is gone and nothing can serve; exit with its status. */
export class EnvoyExitedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'EnvoyExitedError';
  }
}

interface Epoch {
  number: number;
  envoy: EnvoyProcess;
  configHash: string;
  snapshot: string;
}

const MAX_RETRY_DELAY_MS = 5_000;
/** Past its parent-shutdown time an old epoch should be gone; this much later it is killed. */
const PARENT_KILL_GRACE_MS = 5_000;
/** Time an Envoy gets to exit after SIGTERM before SIGKILL, when no tighter deadline applies. */
const STOP_TIMEOUT_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs Envoy and hot-restarts it, in the spirit of Envoy's `restarter/hot-restarter.py` but with
 * the traps handled: a config is checked with `envoy --mode validate` before it may replace the
 * one in force; "previous envoy process is still initializing" means retry the same epoch; never
 * more than two Envoys; a new epoch counts as applied only once admin, on a fresh connection,
 * answers with its epoch; when the Envoy in force dies, the supervisor stops with its status
 * (the kubelet restarts the container) instead of hanging without a proxy.
 */
export class Supervisor {
  private current: Epoch | undefined;
  private readonly parents = new Set<Epoch>();
  /** Every Envoy started and not yet reaped, including a new epoch that is still coming up. */
  private readonly envoys = new Set<EnvoyProcess>();
  private baseId: string | undefined;
  private lastReload: ReloadRecord | null = null;
  private lastRefusedHash: string | undefined;
  private stopping = false;

  /** Ready while the epoch in force is alive and no shutdown has begun. */
  private get ready(): boolean {
    return !this.stopping && this.current?.envoy.alive === true;
  }
  private running: Promise<ReloadRecord | undefined> = Promise.resolve(undefined);
  private queued: Promise<ReloadRecord | undefined> | undefined;
  private queuedForce = false;
  private fail: (error: EnvoyExitedError) => void = () => undefined;
  /** Rejects when the Envoy in force exits on its own; never resolves otherwise. */
  readonly failed: Promise<never>;

  constructor(private readonly options: SupervisorOptions) {
    this.failed = new Promise<never>((_resolve, reject) => (this.fail = reject));
    // Observed by whoever awaits it; without a listener a crash would also be reported as unhandled.
    this.failed.catch(() => undefined);
  }

  private get command(): EnvoyCommandOptions {
    return {
      concurrency: this.options.envoyConcurrency,
      drainTimeS: this.options.envoyDrainTimeS,
      parentShutdownTimeS: this.options.envoyParentShutdownTimeS,
      baseIdPath: path.join(this.options.stateDir, 'base-id'),
    };
  }

  status(): SidecarStatus {
    return {
      epoch: this.current?.number ?? -1,
      configHash: this.current?.configHash ?? '',
      configPath: this.options.envoyConfig,
      ready: this.ready,
      envoyPids: [...this.envoys].flatMap((envoy) => (envoy.pid ? [envoy.pid] : [])),
      lastReload: this.lastReload,
    };
  }

  /** Starts epoch 0 with the config as it is now. Throws with Envoy's status and words if it doesn't come up. */
  async start(): Promise<SidecarStatus> {
    // Whatever an earlier container of this pod left here is not ours (the state dir may be in the pod's /dev/shm).
    await rm(this.options.stateDir, { recursive: true, force: true });
    await mkdir(this.options.stateDir, { recursive: true, mode: 0o700 });
    const { hash, snapshot } = await this.snapshotConfig();
    const envoy = await this.spawn(0, snapshot);
    const outcome = await this.confirm(0, envoy);
    if (outcome !== 'live') {
      envoy.signal('SIGKILL');
      const exit = await envoy.exited;
      throw new EnvoyExitedError(
        `epoch 0 did not come up (${outcome}): ${lastLines(envoy.output())}`,
        exitStatus(exit) || 1,
      );
    }
    this.baseId = parseBaseId(await readFile(this.command.baseIdPath, 'utf8'), this.command.baseIdPath);
    this.adopt({ number: 0, envoy, configHash: hash, snapshot });
    this.options.logger.info(
      { epoch: 0, config_hash: hash, base_id: this.baseId, pid: envoy.pid },
      'envoy started',
    );
    return this.status();
  }

  /**
   * Applies the config file as it is now, one reload at a time. Calls made while a reload runs
   * share the next one, which reads the file when it starts: a burst of changes ends on the last.
   * `force` hot-restarts even when the content is the one in force (reload on demand).
   */
  reload(reason: string, { force = false } = {}): Promise<ReloadRecord | undefined> {
    // A forced request joining a queued one makes that one forced: it still restarts.
    this.queuedForce ||= force;
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      const forced = this.queuedForce;
      this.queued = undefined;
      this.queuedForce = false;
      return this.stopping ? undefined : this.applyConfig(reason, forced);
    });
    this.queued = next;
    this.running = next.catch(() => undefined);
    return next;
  }

  /** SIGTERM: unready, Envoy drains its listeners, then stops; everything within the shutdown timeout. */
  async shutdown(): Promise<number> {
    const { logger, shutdownTimeoutS, envoyDrainTimeS, envoyAdminUrl } = this.options;
    const deadline = Date.now() + shutdownTimeoutS * 1000;
    this.stopping = true;
    const envoys = [...this.envoys];
    const allExited = Promise.all(envoys.map((envoy) => envoy.exited));
    try {
      if (!this.current?.envoy.alive) throw new Error('no envoy in force');
      await drainListeners(envoyAdminUrl);
      logger.info({ drain_time_s: envoyDrainTimeS }, 'draining envoy listeners');
      await Promise.race([sleep(envoyDrainTimeS * 1000), allExited]);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'could not drain envoy listeners; stopping envoy now');
    }
    const remainingMs = Math.max(deadline - Date.now(), 0);
    const exits = await Promise.all(envoys.map((envoy) => envoy.stop(remainingMs)));
    const killed = exits.filter((exit) => exit.signal === 'SIGKILL').length;
    logger.info({ killed }, killed ? 'envoy had to be killed' : 'envoy stopped');
    return killed ? 1 : 0;
  }

  private async applyConfig(reason: string, force: boolean): Promise<ReloadRecord | undefined> {
    const { hash, snapshot } = await this.snapshotConfig();
    const current = this.current as Epoch;
    const unchanged = hash === current.configHash || hash === this.lastRefusedHash;
    if (unchanged && !force) {
      await this.discardSnapshot(snapshot);
      return undefined;
    }
    const check = await runToCompletion(
      this.options.envoyBinary,
      validateArgs(snapshot),
      this.options.startTimeoutS * 1000,
    );
    if (check.status !== 0) {
      this.lastRefusedHash = hash;
      await this.discardSnapshot(snapshot);
      return this.record(
        'invalid',
        hash,
        `envoy --mode validate exited ${check.status}: ${check.output.trim()}`,
        {
          reason,
        },
      );
    }
    return this.hotRestart(reason, hash, snapshot);
  }

  private async hotRestart(reason: string, hash: string, snapshot: string): Promise<ReloadRecord> {
    const { logger } = this.options;
    const epoch = (this.current as Epoch).number + 1;
    await this.stopOldestParents();
    let delayMs = this.options.retryDelayMs ?? 500;
    const giveUpAt = Date.now() + this.options.startTimeoutS * 1000;
    for (;;) {
      if (this.stopping)
        return this.record('failed', hash, 'shutting down', { reason, attempted_epoch: epoch });
      const envoy = await this.spawn(epoch, snapshot);
      const outcome = await this.confirm(epoch, envoy);
      if (outcome === 'live' && !this.stopping) {
        const parent = this.current as Epoch;
        this.adopt({ number: epoch, envoy, configHash: hash, snapshot });
        this.retire(parent);
        this.lastRefusedHash = undefined;
        return this.record('applied', hash, `epoch ${epoch} is live`, { reason, pid: envoy.pid });
      }
      envoy.signal('SIGKILL');
      await envoy.exited;
      const output = envoy.output();
      if (outcome === 'exited' && isStillInitializing(output) && Date.now() + delayMs < giveUpAt) {
        logger.info(
          { epoch, retry_in_ms: delayMs },
          'previous envoy is still initializing; retrying the same epoch',
        );
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS);
        continue;
      }
      await this.discardSnapshot(snapshot);
      return this.record('failed', hash, `epoch ${epoch} ${outcome}: ${lastLines(output)}`, {
        reason,
        attempted_epoch: epoch,
      });
    }
  }

  /** Waits until admin, asked on a fresh connection, reports `epoch` as LIVE, or the process exits. */
  private async confirm(epoch: number, envoy: EnvoyProcess): Promise<'live' | 'exited' | 'timed out'> {
    const giveUpAt = Date.now() + this.options.startTimeoutS * 1000;
    const interval = this.options.confirmIntervalMs ?? 100;
    let exited = false;
    void envoy.exited.then(() => (exited = true));
    while (Date.now() < giveUpAt) {
      if (exited) return 'exited';
      try {
        const info = await readServerInfo(this.options.envoyAdminUrl);
        if (info.epoch === epoch && info.state === 'LIVE') return exited ? 'exited' : 'live';
      } catch {
        // Not listening yet, or between epochs: ask again.
      }
      await Promise.race([sleep(interval), envoy.exited]);
    }
    return exited ? 'exited' : 'timed out';
  }

  /** At most two Envoys: a parent still draining when the next restart comes is stopped first. */
  private async stopOldestParents(): Promise<void> {
    for (const parent of this.parents) {
      this.options.logger.info(
        { epoch: parent.number, pid: parent.envoy.pid },
        'stopping an old epoch still draining, so no more than two envoys run',
      );
      await parent.envoy.stop(STOP_TIMEOUT_MS);
    }
  }

  private async spawn(epoch: number, snapshot: string): Promise<EnvoyProcess> {
    const envoy = await EnvoyProcess.start(
      this.options.envoyBinary,
      epochArgs(snapshot, epoch, this.baseId, this.command),
    );
    this.envoys.add(envoy);
    void envoy.exited.then(() => this.envoys.delete(envoy));
    return envoy;
  }

  /** Makes `epoch` the one in force; its death is fatal unless the supervisor is stopping. */
  private adopt(epoch: Epoch): void {
    this.current = epoch;
    this.options.metrics.inForce(epoch.number, epoch.configHash);
    void epoch.envoy.exited.then((exit) => {
      if (this.current !== epoch || this.stopping) return;
      const status = exitStatus(exit);
      this.options.logger.error(
        {
          epoch: epoch.number,
          exit_code: exit.code,
          signal: exit.signal,
          envoy_output: lastLines(epoch.envoy.output()),
        },
        'envoy exited on its own; stopping the sidecar',
      );
      for (const parent of this.parents) parent.envoy.signal('SIGTERM');
      this.fail(new EnvoyExitedError(`envoy epoch ${epoch.number} exited with ${status}`, status || 1));
    });
  }

  /** An old epoch drains and exits by itself after the parent-shutdown time; it is reaped, or killed if it lingers. */
  private retire(parent: Epoch): void {
    this.parents.add(parent);
    const lingerMs = this.options.envoyParentShutdownTimeS * 1000 + PARENT_KILL_GRACE_MS;
    const killer = setTimeout(() => {
      this.options.logger.warn(
        { epoch: parent.number, pid: parent.envoy.pid },
        'old epoch outlived its parent-shutdown time; killing it',
      );
      parent.envoy.signal('SIGKILL');
    }, lingerMs);
    killer.unref();
    void parent.envoy.exited.then((exit) => {
      clearTimeout(killer);
      this.parents.delete(parent);
      if (parent.snapshot !== this.current?.snapshot) void this.discardSnapshot(parent.snapshot);
      this.options.logger.info(
        { epoch: parent.number, pid: parent.envoy.pid, exit_code: exit.code, signal: exit.signal },
        'old epoch exited',
      );
    });
  }

  /** Envoy reads the exact bytes that were hashed: a copy, so a later swap can't slip in between. */
  private async snapshotConfig(): Promise<{ hash: string; snapshot: string }> {
    const bytes = await readFile(this.options.envoyConfig);
    const hash = sha256(bytes);
    const snapshot = path.join(this.options.stateDir, `config-${hash}.json`);
    await writeFile(snapshot, bytes, { mode: 0o600 });
    return { hash, snapshot };
  }

  private async discardSnapshot(snapshot: string): Promise<void> {
    const inUse = [this.current, ...this.parents].some((epoch) => epoch?.snapshot === snapshot);
    if (!inUse) await unlink(snapshot).catch(() => undefined);
  }

  private record(
    result: ReloadResult,
    configHash: string,
    message: string,
    fields: Record<string, unknown>,
  ): ReloadRecord {
    const epoch = this.current?.number ?? -1;
    this.lastReload = { at: new Date().toISOString(), result, epoch, configHash, message };
    this.options.metrics.reloaded(result);
    const line = { ...fields, result, epoch, config_hash: configHash };
    if (result === 'applied') this.options.logger.info(line, 'config applied');
    else this.options.logger.warn({ ...line, envoy_output: message }, `config not applied (${result})`);
    return this.lastReload;
  }
}

/** Envoy's last few lines: where its reason for refusing or dying is. */
function lastLines(output: string, count = 10): string {
  return output.trim().split('\n').slice(-count).join('\n');
}
