/**
 * The sidecar as it runs in the pod: main.ts as a real process with the stand-in Envoy
 * (test/fake-envoy.ts; what it stands in for and what it cannot show is written there), a config
 * directory updated the kubelet's way, the status and control ports, SIGTERM.
 */
import { freePort, startProcess, waitFor, type ProcessHandle } from '@learnathon/process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleExecutable } from '../test/bundle';
import { envoyConfig } from '../test/envoy-config';
import { fakeEnvoyBinary } from '../test/fake-envoy-binary';
import { KubeletVolume } from '../test/kubelet-volume';
import { sha256 } from './config-watcher';
import type { SidecarStatus } from './supervisor';

jest.setTimeout(60_000);

const cleanups: Array<() => Promise<unknown>> = [];
let sidecarBinary: string;

beforeAll(() => {
  sidecarBinary = bundleExecutable(path.join(__dirname, 'main.ts'));
});

afterAll(() => rm(path.dirname(sidecarBinary), { recursive: true, force: true }));

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function startSidecar(env: Record<string, string> = {}) {
  const ports = {
    admin: await freePort(),
    listener: await freePort(),
    status: await freePort(),
    control: await freePort(),
  };
  const config = (tag: string) => envoyConfig({ adminPort: ports.admin, listenerPort: ports.listener, tag });
  const volume = await KubeletVolume.create({ 'envoy.json': config('v1') });
  cleanups.push(() => volume.remove());
  const envoy = fakeEnvoyBinary({ shmDir: await tempDir('fake-shm-') });
  cleanups.push(() => rm(path.dirname(envoy), { recursive: true, force: true }));
  const sidecar = await startProcess({
    command: sidecarBinary,
    env: {
      LOG_LEVEL: 'info',
      ENVOY_BINARY: envoy,
      ENVOY_CONFIG: volume.file('envoy.json'),
      ENVOY_ADMIN_URL: `http://127.0.0.1:${ports.admin}`,
      ENVOY_DRAIN_TIME_S: '1',
      ENVOY_PARENT_SHUTDOWN_TIME_S: '2',
      SIDECAR_SHUTDOWN_TIMEOUT_S: '5',
      SIDECAR_STATUS_HOST: '127.0.0.1',
      SIDECAR_STATUS_PORT: String(ports.status),
      SIDECAR_CONTROL_PORT: String(ports.control),
      SIDECAR_STATE_DIR: path.join(await tempDir('sidecar-state-'), 'state'),
      // Far beyond the test: a change can only be seen through the directory watch.
      SIDECAR_POLL_INTERVAL_MS: '60000',
      ...env,
    },
    readyUrl: `http://127.0.0.1:${ports.status}/readyz`,
    readyTimeoutMs: 20_000,
  });
  cleanups.push(() => sidecar.stop('SIGKILL'));
  const status = async () => (await get(ports.status, '/status')).json() as Promise<SidecarStatus>;
  return { sidecar, ports, volume, config, status };
}

function get(port: number, pathname: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${pathname}`, { ...init, signal: AbortSignal.timeout(10_000) });
}

function logLines(sidecar: ProcessHandle): Array<Record<string, unknown>> {
  return sidecar
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const hashOf = (text: string) => sha256(Buffer.from(text));

describe('envoy-sidecar process', () => {
  it('applies a kubelet-style update, reloads on demand, serves status read-only, and drains on SIGTERM', async () => {
    const { sidecar, ports, volume, config, status } = await startSidecar();
    expect(await status()).toMatchObject({
      epoch: 0,
      configHash: hashOf(config('v1')),
      ready: true,
      lastReload: null,
    });
    expect((await get(ports.status, '/healthz')).status).toBe(200);

    await volume.update({ 'envoy.json': config('v2') });
    const afterSwap = await waitFor(
      async () => {
        const now = await status();
        return now.epoch === 1 ? now : undefined;
      },
      { timeoutMs: 15_000, what: 'epoch 1 after the ..data swap' },
    );
    expect(afterSwap).toMatchObject({
      configHash: hashOf(config('v2')),
      lastReload: { result: 'applied', epoch: 1, configHash: hashOf(config('v2')) },
    });

    const refused = await get(ports.status, '/status', { method: 'POST' });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('GET, HEAD');

    const reload = await get(ports.control, '/reload', { method: 'POST' });
    expect(reload.status).toBe(200);
    expect(await reload.json()).toMatchObject({
      result: 'applied',
      epoch: 2,
      configHash: hashOf(config('v2')),
    });

    const metrics = await (await get(ports.status, '/metrics')).text();
    expect(metrics).toContain('envoy_sidecar_restart_epoch{service="envoy-sidecar",version="v1"} 2');
    expect(metrics).toContain(
      `envoy_sidecar_config_info{hash="${hashOf(config('v2'))}",service="envoy-sidecar",version="v1"} 1`,
    );
    expect(metrics).toContain(
      'envoy_sidecar_reloads_total{result="applied",service="envoy-sidecar",version="v1"} 2',
    );

    const { envoyPids } = await status();
    const signalled = Date.now();
    sidecar.child.kill('SIGTERM');
    await waitFor(async () => (await get(ports.status, '/readyz')).status === 503, {
      timeoutMs: 2_000,
      what: '/readyz to turn 503 while draining',
    });
    expect(await sidecar.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(envoyPids.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
    const messages = logLines(sidecar).map((line) => line['msg']);
    expect(messages).toEqual(
      expect.arrayContaining([
        'config file changed',
        'config applied',
        'draining envoy listeners',
        'stopped',
      ]),
    );
  });

  it('exits with the status of an Envoy that dies, never hanging without a proxy', async () => {
    const { sidecar, status } = await startSidecar();
    const [pid] = (await status()).envoyPids;

    process.kill(pid as number, 'SIGKILL');

    expect(await sidecar.exited).toBe(137);
    expect(
      logLines(sidecar).some((line) => line['msg'] === 'envoy exited on its own; stopping the sidecar'),
    ).toBe(true);
  });

  it('refuses bad settings at start, naming the variable, before running Envoy', async () => {
    const sidecar = await startProcess({
      command: sidecarBinary,
      env: { SIDECAR_STATUS_PORT: 'http' },
    });
    expect(await sidecar.exited).toBe(2);
    expect(sidecar.output()).toContain("SIDECAR_STATUS_PORT must be an integer from 0 to 65535, got 'http'");
  });
});
