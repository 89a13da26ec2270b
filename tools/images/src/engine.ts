import { spawn, spawnSync } from 'node:child_process';

export const ENGINES = ['docker', 'podman'] as const;
export type Engine = (typeof ENGINES)[number];

/** A required program is missing or failed; the message says what to do about it. */
export class ToolError extends Error {}

const INSTALL_HINTS: Record<string, string> = {
  docker:
    'install Docker Engine or Docker Desktop (https://docs.docker.com/engine/install/), or use --engine=podman',
  podman:
    'install it with `sudo apt-get install -y podman buildah runc` (Debian/Ubuntu; see tools/images/setup-podman.sh) or https://podman.io/docs/installation',
  kind: 'install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation), e.g. `go install sigs.k8s.io/kind@latest`',
  debootstrap: 'install it with `sudo apt-get install -y debootstrap`',
};

/** `--engine` wins over CONTAINER_ENGINE; docker is the default. */
export function resolveEngine(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Engine {
  const chosen = option ?? env['CONTAINER_ENGINE'] ?? 'docker';
  if ((ENGINES as readonly string[]).includes(chosen)) return chosen as Engine;
  const source = option === undefined ? 'CONTAINER_ENGINE' : '--engine';
  throw new ToolError(`${source} must be one of ${ENGINES.join(', ')}, got '${chosen}'`);
}

/** Fails with an install hint when `program` is not on PATH or can't run. */
export function requireProgram(program: string, versionArgs: string[] = ['--version']): void {
  const result = spawnSync(program, versionArgs, { stdio: 'pipe', encoding: 'utf8', timeout: 30_000 });
  const hint = INSTALL_HINTS[program] ?? `install ${program}`;
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new ToolError(`${program} is not installed (not found on PATH): ${hint}`);
  }
  if (result.error || result.status !== 0) {
    const detail = (result.stderr || result.error?.message || '').trim().split('\n')[0];
    throw new ToolError(
      `${program} ${versionArgs.join(' ')} failed (${detail || `exit ${result.status}`}): is ${program} set up? ${hint}`,
    );
  }
}

/** The docker CLI alone is not enough: the daemon must answer too. */
export function requireEngine(engine: Engine): void {
  requireProgram(engine);
  if (engine !== 'docker') return;
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    stdio: 'pipe',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (info.status !== 0) {
    const detail = (info.stderr || '').trim().split('\n').pop();
    throw new ToolError(
      `the docker CLI is installed but no Docker engine answers (${detail}): start Docker, or use --engine=podman`,
    );
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the command after this long; nothing waits forever. */
  timeoutMs?: number;
  quiet?: boolean;
}

export function logLine(message: string): void {
  process.stderr.write(`[images] ${message}\n`);
}

/** Runs a command with its output streamed through, and rejects naming the command on failure. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<void> {
  if (!options.quiet) logLine(`$ ${[command, ...args].join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new ToolError(`${command} is not installed: ${INSTALL_HINTS[command] ?? `install ${command}`}`)
          : error,
      );
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new ToolError(
            `\`${command} ${args[0] ?? ''}\` failed with ${signal ? `signal ${signal}` : `exit code ${code}`}`,
          ),
        );
    });
  });
}

/** Runs a command and returns its trimmed stdout; stderr is kept for the error message. */
export function capture(command: string, args: string[], options: RunOptions = {}): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: options.env ?? process.env,
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new ToolError(`${command} is not installed: ${INSTALL_HINTS[command] ?? `install ${command}`}`);
  }
  if (result.status !== 0) {
    throw new ToolError(
      `\`${command} ${args.join(' ')}\` failed (exit ${result.status}): ${(result.stderr || '').trim().slice(-2_000)}`,
    );
  }
  return result.stdout.trim();
}
