/**
 * The supervisor against real processes of the stand-in Envoy (test/fake-envoy.ts), which follows
 * Envoy's command line and hot-restart hand-over (epochs meeting by base id, "still initializing",
 * at most two processes) and serves a listener, so "the old one keeps serving" is observable.
 * What this cannot show: that a listening socket passes from one epoch to the next without a
 * refused connection. The stand-in's parent closes and the child binds; Envoy hands the socket
 * over itself, and only the kind end-to-end run shows it under load.
 */
import { freePort, waitFor } from '@learnathon/process';
import { captureLogs, type CapturedLogs } from '@learnathon/testing';
import { createLogger, type Logger } from '@learnathon/service-runtime';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { envoyConfig } from '../test/envoy-config';
import { fakeEnvoyBinary } from '../test/fake-envoy-binary';
import { KubeletVolume } from '../test/kubelet-volume';
import { sha256 } from './config-watcher';
import { readServerInfo } from './envoy-admin';
import { SidecarMetrics } from './sidecar-metrics';
import { EnvoyExitedError, Supervisor, type SupervisorOptions } from './supervisor';

jest.setTimeout(60_000);

interface Harness {
  supervisor: Supervisor;
  volume: KubeletVolume;
  registry: Registry;
  logs: CapturedLogs<Logger>;
  ports: { admin: number; listener: number };
  stateDir: string;
  binary: string;
  config(tag: string): string;
}

const harnesses: Harness[] = [];
let shmDir: string;

beforeEach(async () => {
  shmDir = await mkdtemp(path.join(os.tmpdir(), 'fake-shm-'));
});

afterEach(async () => {
  for (const harness of harnesses.splice(0)) {
    await harness.supervisor.shutdown();
    await harness.volume.remove();
    await rm(harness.stateDir, { recursive: true, force: true });
    await rm(path.dirname(harness.binary), { recursive: true, force: true });
  }
  await rm(shmDir, { recursive: true, force: true });
});

async function harness(
  overrides: Partial<SupervisorOptions> = {},
  { handoverRefusals = 0 } = {},
): Promise<Harness> {
  const ports = { admin: await freePort(), listener: await freePort() };
  const config = (tag: string) => envoyConfig({ adminPort: ports.admin, listenerPort: ports.listener, tag });
  const volume = await KubeletVolume.create({ 'envoy.json': config('v1') });
  const registry = new Registry();
  const logs = captureLogs((destination) =>
    createLogger({ service: 'envoy-sidecar', version: 'v0', level: 'debug', destination }),
  );
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'sidecar-state-'));
  const binary = fakeEnvoyBinary({ shmDir, handoverRefusals });
  const supervisor = new Supervisor({
    envoyBinary: binary,
    envoyConfig: volume.file('envoy.json'),
    envoyAdminUrl: `http://127.0.0.1:${ports.admin}`,
    envoyConcurrency: 2,
    envoyDrainTimeS: 0,
    envoyParentShutdownTimeS: 1,
    stateDir,
    startTimeoutS: 10,
    shutdownTimeoutS: 5,
    logger: logs.logger,
    metrics: new SidecarMetrics(registry),
    retryDelayMs: 100,
    confirmIntervalMs: 20,
    ...overrides,
  });
  const created = { supervisor, volume, registry, logs, ports, stateDir, binary, config };
  harnesses.push(created);
  return created;
}

/** What the listener answers right now, on a fresh connection: which epoch and config served it. */
async function listenerAnswer(
  port: number,
): Promise<{ epoch: number; configHash: string; listener: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } });
  expect(response.status).toBe(200);
  return (await response.json()) as { epoch: number; configHash: string; listener: string };
}

const hashOf = (text: string) => sha256(Buffer.from(text));

/** PIDs that exist as processes (zombies count: they are what reaping must prevent). */
function processExists(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

describe('Supervisor', () => {
  it('starts epoch 0 with a dynamic base id, clear of stale ids and stale state', async () => {
    const h = await harness();
    // What an earlier container of this pod may have left: a segment for base id 0 and old state.
    await writeFile(path.join(shmDir, 'envoy_shared_memory_0'), 'stale');
    await mkdir(h.stateDir, { recursive: true });
    await writeFile(path.join(h.stateDir, 'base-id'), '0');

    const status = await h.supervisor.start();

    expect(status).toMatchObject({
      epoch: 0,
      configHash: hashOf(h.config('v1')),
      ready: true,
      lastReload: null,
    });
    expect(status.envoyPids).toHaveLength(1);
    const baseId = (await readFile(path.join(h.stateDir, 'base-id'), 'utf8')).trim();
    expect(baseId).not.toBe('0');
    expect(existsSync(path.join(shmDir, `envoy_shared_memory_${baseId}`))).toBe(true);
    expect(await listenerAnswer(h.ports.listener)).toMatchObject({
      epoch: 0,
      configHash: hashOf(h.config('v1')),
    });
    expect(await h.registry.metrics()).toContain(
      `envoy_sidecar_config_info{hash="${hashOf(h.config('v1'))}"} 1`,
    );
  });

  it('hot-restarts with the next epoch on each valid change, and the old epoch exits and is reaped', async () => {
    const h = await harness();
    await h.supervisor.start();
    const firstPid = h.supervisor.status().envoyPids[0] as number;

    for (const [epoch, tag] of [
      [1, 'v2'],
      [2, 'v3'],
      [3, 'v4'],
    ] as const) {
      await h.volume.update({ 'envoy.json': h.config(tag) });
      const record = await h.supervisor.reload('test');
      expect(record).toMatchObject({ result: 'applied', epoch, configHash: hashOf(h.config(tag)) });
      expect(await readServerInfo(`http://127.0.0.1:${h.ports.admin}`)).toEqual({ state: 'LIVE', epoch });
      expect(await listenerAnswer(h.ports.listener)).toMatchObject({ epoch, listener: `inbound_${tag}` });
    }
    expect(h.supervisor.status()).toMatchObject({ epoch: 3, configHash: hashOf(h.config('v4')) });
    await waitFor(() => h.supervisor.status().envoyPids.length === 1, { what: 'old epochs to exit' });
    expect(processExists(firstPid)).toBe(false);
    const metrics = await h.registry.metrics();
    expect(metrics).toContain('envoy_sidecar_reloads_total{result="applied"} 3');
    expect(metrics).toContain('envoy_sidecar_restart_epoch 3');
    // Only the config in force is kept.
    expect((await readdir(h.stateDir)).filter((name) => name.startsWith('config-'))).toEqual([
      `config-${hashOf(h.config('v4'))}.json`,
    ]);
  });

  it('refuses an invalid config: Envoy keeps serving the old one and the refusal is reported', async () => {
    const h = await harness();
    await h.supervisor.start();
    const pid = h.supervisor.status().envoyPids[0];

    await h.volume.update({ 'envoy.json': '{"admin": ' });
    const record = await h.supervisor.reload('test');

    expect(record).toMatchObject({ result: 'invalid', epoch: 0, configHash: hashOf('{"admin": ') });
    // The validator's own words reach the record (Envoy's, with the real binary).
    expect(record?.message).toContain('not valid JSON');
    expect(h.supervisor.status()).toMatchObject({
      epoch: 0,
      configHash: hashOf(h.config('v1')),
      envoyPids: [pid],
    });
    expect(await listenerAnswer(h.ports.listener)).toMatchObject({
      epoch: 0,
      configHash: hashOf(h.config('v1')),
    });
    expect(await h.registry.metrics()).toContain('envoy_sidecar_reloads_total{result="invalid"} 1');
    const warning = h.logs.lines().find((line) => line['msg'] === 'config not applied (invalid)');
    expect(String(warning?.['envoy_output'])).toContain("error initializing configuration '");

    // The same bad bytes again are not re-tried.
    expect(await h.supervisor.reload('test')).toBeUndefined();

    // Well-formed JSON that Envoy's schema rejects (a misspelt field) is refused the same way.
    const misspelt = h.config('v2').replace('"static_resources"', '"static_resource"');
    await h.volume.update({ 'envoy.json': misspelt });
    const schemaRecord = await h.supervisor.reload('test');
    expect(schemaRecord).toMatchObject({ result: 'invalid', epoch: 0 });
    expect(schemaRecord?.message).toContain('static_resource');
    expect(await listenerAnswer(h.ports.listener)).toMatchObject({ epoch: 0 });

    // A fixed config goes through.
    await h.volume.update({ 'envoy.json': h.config('v2') });
    expect(await h.supervisor.reload('test')).toMatchObject({ result: 'applied', epoch: 1 });
  });

  it('retries the same epoch while the previous Envoy is still initializing', async () => {
    const h = await harness({}, { handoverRefusals: 2 });
    await h.supervisor.start();
    await h.volume.update({ 'envoy.json': h.config('v2') });

    const record = await h.supervisor.reload('test');

    expect(record).toMatchObject({ result: 'applied', epoch: 1, configHash: hashOf(h.config('v2')) });
    const retries = h.logs
      .lines()
      .filter((line) => line['msg'] === 'previous envoy is still initializing; retrying the same epoch');
    expect(retries).toHaveLength(2);
    expect(retries.every((line) => line['epoch'] === 1)).toBe(true);
  });

  it('ends two quick changes on the latest config, with never more than two Envoys alive', async () => {
    // A long parent-shutdown time keeps old epochs draining: only the supervisor's rule bounds them.
    const h = await harness({ envoyParentShutdownTimeS: 60 });
    await h.supervisor.start();
    let mostAlive = 0;
    const sampler = setInterval(() => {
      mostAlive = Math.max(mostAlive, h.supervisor.status().envoyPids.filter(processExists).length);
    }, 5);
    try {
      await h.volume.update({ 'envoy.json': h.config('v2') });
      const first = h.supervisor.reload('watch');
      await h.volume.update({ 'envoy.json': h.config('v3') });
      const second = h.supervisor.reload('watch');
      const third = h.supervisor.reload('watch');
      await Promise.all([first, second, third]);
      expect(await second).toBe(await third);
    } finally {
      clearInterval(sampler);
    }
    expect(h.supervisor.status().configHash).toBe(hashOf(h.config('v3')));
    expect(await listenerAnswer(h.ports.listener)).toMatchObject({ configHash: hashOf(h.config('v3')) });
    expect(mostAlive).toBeLessThanOrEqual(2);

    await h.volume.update({ 'envoy.json': h.config('v4') });
    await h.supervisor.reload('watch');
    expect(h.supervisor.status().envoyPids.filter(processExists).length).toBeLessThanOrEqual(2);
    expect(
      h.logs
        .lines()
        .some(
          (line) => line['msg'] === 'stopping an old epoch still draining, so no more than two envoys run',
        ),
    ).toBe(true);
  });

  it('restarts on a forced reload even when it joins a queued reload of unchanged content', async () => {
    const h = await harness();
    await h.supervisor.start();
    await h.volume.update({ 'envoy.json': h.config('v2') });
    const running = h.supervisor.reload('watch');
    await new Promise((resolve) => setImmediate(resolve)); // the first reload has begun
    const unchanged = h.supervisor.reload('watch');
    const forced = h.supervisor.reload('on demand', { force: true });
    expect(await running).toMatchObject({ result: 'applied', epoch: 1 });
    expect(await unchanged).toBe(await forced);
    expect(await forced).toMatchObject({ result: 'applied', epoch: 2, configHash: hashOf(h.config('v2')) });
  });

  it('stops with the status of an Envoy that dies, after stopping the rest', async () => {
    const h = await harness();
    await h.supervisor.start();
    const [pid] = h.supervisor.status().envoyPids;

    process.kill(pid as number, 'SIGKILL');

    const error = await h.supervisor.failed.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(EnvoyExitedError);
    expect((error as EnvoyExitedError).exitCode).toBe(137);
    expect(h.supervisor.status()).toMatchObject({ ready: false, envoyPids: [] });
    expect(processExists(pid as number)).toBe(false);
  });

  it('reports a new epoch that cannot start as failed and keeps the old one', async () => {
    const h = await harness();
    await h.supervisor.start();
    // Valid for `--mode validate`, but its listener port is taken: the new epoch dies starting.
    const busy = await freePort();
    const blocker = net.createServer().listen(busy, '127.0.0.1');
    try {
      const config = envoyConfig({
        adminPort: h.ports.admin,
        listenerPort: h.ports.listener,
        tag: 'v2',
      }).replace(`"port_value": ${h.ports.listener}`, `"port_value": ${busy}`);
      await h.volume.update({ 'envoy.json': config });
      const record = await h.supervisor.reload('test');
      expect(record).toMatchObject({ result: 'failed', epoch: 0 });
      expect(record?.message).toContain('EADDRINUSE');
    } finally {
      blocker.close();
    }
    expect(h.supervisor.status()).toMatchObject({ epoch: 0, configHash: hashOf(h.config('v1')) });
    expect(await h.registry.metrics()).toContain('envoy_sidecar_reloads_total{result="failed"} 1');
  });

  it('on shutdown drains Envoy through admin, stops it and resolves 0 within the timeout', async () => {
    const h = await harness({ envoyDrainTimeS: 1, shutdownTimeoutS: 4 });
    await h.supervisor.start();
    const [pid] = h.supervisor.status().envoyPids;
    const started = Date.now();

    const code = await h.supervisor.shutdown();

    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(processExists(pid as number)).toBe(false);
    expect(h.supervisor.status()).toMatchObject({ ready: false, envoyPids: [] });
    expect(h.logs.lines().some((line) => line['msg'] === 'draining envoy listeners')).toBe(true);
    expect(await h.supervisor.reload('after shutdown')).toBeUndefined();
  });
});
