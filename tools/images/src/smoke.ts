import { freePort, getJson, httpStatus, waitFor } from '@learnathon/process';
import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureBaseImage } from './base-image';
import { buildImages } from './build';
import { capture, logLine, requireProgram } from './engine';
import { loadImageList, stableRef as ref, type ImageSpec } from './image-list';

/**
 * End-to-end check of every image with podman: build from a local base, run each container as it
 * runs in the cluster, probe it from the host's loopback, check user, dependencies and shutdown.
 */

const APP_UID = '10001';
/** Marks what a smoke run started, so a later run can clean up after one that was killed. */
const SMOKE_LABEL = 'learnathon.smoke=1';
/** Modules that exist only as devDependencies: finding one in an image means dev deps leaked in. */
const DEV_ONLY_MODULES = ['nx', 'typescript', 'jest', 'esbuild', '@swc/core'];

export interface SmokeOptions {
  workspaceRoot: string;
  rebuild: boolean;
  network: string | undefined;
}

interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

class SmokeReport {
  readonly checks: Check[] = [];

  record(name: string, passed: boolean, detail = ''): void {
    this.checks.push({ name, passed, detail });
    logLine(`${passed ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  }

  async attempt(name: string, check: () => Promise<string> | string): Promise<void> {
    try {
      this.record(name, true, await check());
    } catch (error) {
      this.record(name, false, (error as Error).message);
    }
  }

  get failed(): number {
    return this.checks.filter((check) => !check.passed).length;
  }
}

/** A GET (or other request) whose answer is JSON, with the `x-service-version` it carried. */
async function requestJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: unknown; version: string | null }> {
  const { status, headers, body } = await getJson(url, init);
  return { status, body, version: headers.get('x-service-version') };
}

function podman(args: string[]): string {
  return capture('podman', args);
}

function removeLeftovers(): void {
  const ids = podman(['ps', '--all', '--quiet', '--filter', `label=${SMOKE_LABEL}`])
    .split('\n')
    .filter(Boolean);
  // --depend: the pod's namespace owner can only go with the containers that joined it.
  for (const id of ids) podman(['rm', '--force', '--depend', '--ignore', id]);
}

/** The uid the kernel reports for the container's main process, read on the host: works without a shell in the image. */
function containerUid(container: string): string {
  const pid = podman(['inspect', '--format', '{{.State.Pid}}', container]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const [, real, effective] = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status) ?? [];
  if (!real) throw new Error(`no Uid line in /proc/${pid}/status`);
  return real === effective ? real : `${real} (effective ${effective})`;
}

/** SIGTERM (podman stop) must end the service cleanly: exit 0 well within the grace period, never SIGKILL. */
function stopCleanly(container: string): string {
  const started = Date.now();
  podman(['stop', '--time', '20', container]);
  const exitCode = podman(['inspect', '--format', '{{.State.ExitCode}}', container]);
  if (exitCode !== '0')
    throw new Error(`exit code ${exitCode} after SIGTERM (137 means it had to be killed)`);
  return `exit 0 after ${Date.now() - started} ms`;
}

function checkImageConfig(ref: string): string {
  const config = JSON.parse(podman(['image', 'inspect', '--format', '{{json .Config}}', ref])) as {
    User?: string;
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[] | null;
  };
  const problems: string[] = [];
  if (config.User !== `${APP_UID}:${APP_UID}`)
    problems.push(`User is '${config.User}', want ${APP_UID}:${APP_UID}`);
  if (!config.Env?.includes('NODE_ENV=production')) problems.push('NODE_ENV=production missing');
  if (config.Entrypoint?.[0] !== 'node')
    problems.push(`Entrypoint ${JSON.stringify(config.Entrypoint)} does not run node directly`);
  if (config.Cmd?.some((arg) => /\b(sh|bash)\b/.test(arg)))
    problems.push(`Cmd uses a shell: ${JSON.stringify(config.Cmd)}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return `user ${config.User}, entrypoint ${JSON.stringify(config.Entrypoint)}`;
}

/** Runs node inside the image to list which modules are installed: production deps in, dev deps out. */
function checkProductionDepsOnly(ref: string): string {
  const script = `const fs=require('fs');const p=JSON.parse(fs.readFileSync('/app/package.json','utf8'));console.log(JSON.stringify({deps:Object.keys(p.dependencies||{}).filter(d=>!fs.existsSync('/app/node_modules/'+d)),dev:${JSON.stringify(DEV_ONLY_MODULES)}.filter(d=>fs.existsSync('/app/node_modules/'+d))}))`;
  const found = JSON.parse(
    podman(['run', '--rm', '--label', SMOKE_LABEL, '--entrypoint', 'node', ref, '-e', script]),
  ) as { deps: string[]; dev: string[] };
  if (found.deps.length > 0) throw new Error(`production dependencies missing: ${found.deps.join(', ')}`);
  if (found.dev.length > 0) throw new Error(`dev-only modules present: ${found.dev.join(', ')}`);
  return 'every dependency of package.json installed, no dev-only module';
}

function find(images: ImageSpec[], project: string, tag?: string): ImageSpec {
  const image = images.find(
    (candidate) => candidate.project === project && (tag === undefined || candidate.tag === tag),
  );
  if (!image) throw new Error(`tools/images/images.json has no ${project}${tag ? `:${tag}` : ''} image`);
  return image;
}

function startContainer(name: string, image: string, args: string[]): string {
  podman(['run', '--detach', '--name', name, '--label', SMOKE_LABEL, ...args, image]);
  return name;
}

function imageIds(images: ImageSpec[]): Set<string> {
  const ids = images.map((image) => {
    try {
      return podman(['image', 'inspect', '--format', '{{.Id}}', ref(image)]);
    } catch {
      return '';
    }
  });
  return new Set(ids.filter(Boolean));
}

/** The images a rebuild untagged: this run's own leftovers, removed by id (never a prune of the whole store). */
function removeReplaced(before: Set<string>, after: Set<string>): void {
  const replaced = [...before].filter((id) => !after.has(id));
  if (replaced.length > 0) podman(['rmi', '--force', ...replaced]);
}

function requireSources(images: ImageSpec[], workspaceRoot: string): void {
  const missing = images.filter(
    (image) =>
      !existsSync(path.join(workspaceRoot, image.dockerfile)) ||
      !existsSync(path.join(workspaceRoot, image.root, 'src', 'main.ts')),
  );
  if (missing.length > 0)
    throw new Error(
      `cannot smoke-test ${missing.map((image) => image.project).join(', ')}: Dockerfile or src/main.ts missing`,
    );
}

/**
 * The app "pod": pinger v1 owns the network namespace (and the published ports), details and the
 * frontend join it, so the frontend reaches both on 127.0.0.1 with its defaults, as in a pod.
 */
async function smokeServices(images: ImageSpec[], report: SmokeReport): Promise<void> {
  const prefix = `learnathon-smoke-${process.pid}`;
  const ports = {
    pinger: await freePort(),
    details: await freePort(),
    frontend: await freePort(),
    pingerV2: await freePort(),
  };
  const pod = startContainer(`${prefix}-pinger-v1`, ref(find(images, 'pinger', 'v1')), [
    '--publish',
    `127.0.0.1:${ports.pinger}:3000`,
    '--publish',
    `127.0.0.1:${ports.details}:4000`,
    '--publish',
    `127.0.0.1:${ports.frontend}:9000`,
  ]);
  const joinPod = ['--network', `container:${pod}`];
  const details = startContainer(`${prefix}-details`, ref(find(images, 'details')), joinPod);
  const frontend = startContainer(`${prefix}-frontend`, ref(find(images, 'frontend')), joinPod);
  const pingerV2 = startContainer(`${prefix}-pinger-v2`, ref(find(images, 'pinger', 'v2')), [
    '--publish',
    `127.0.0.1:${ports.pingerV2}:3000`,
  ]);

  const base = (port: number) => `http://127.0.0.1:${port}`;
  const podOwner = { container: pod, name: 'pinger:v1', url: base(ports.pinger) };
  const others = [
    { container: pingerV2, name: 'pinger:v2', url: base(ports.pingerV2) },
    { container: details, name: 'details', url: base(ports.details) },
    { container: frontend, name: 'frontend', url: base(ports.frontend) },
  ];
  const services = [podOwner, ...others];
  for (const service of services) {
    await report.attempt(`${service.name} /healthz and /readyz`, async () => {
      await waitFor(async () => (await httpStatus(`${service.url}/readyz`, 2_000)) === 200, {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: `${service.url}/readyz to answer 200`,
      });
      const health = await httpStatus(`${service.url}/healthz`, 10_000);
      if (health !== 200) throw new Error(`/healthz answered ${health}`);
      return 'ready';
    });
    await report.attempt(`${service.name} runs as uid ${APP_UID}`, () => {
      const uid = containerUid(service.container);
      if (uid !== APP_UID) throw new Error(`runs as uid ${uid}`);
      return `uid ${uid}`;
    });
  }

  for (const [name, url, version] of [
    ['pinger:v1', base(ports.pinger), 'v1'],
    ['pinger:v2', base(ports.pingerV2), 'v2'],
  ] as const) {
    await report.attempt(`${name} GET /ping/stats reports ${version}`, async () => {
      const stats = await requestJson(`${url}/ping/stats`);
      if (stats.status !== 200 || stats.version !== version)
        throw new Error(`status ${stats.status}, x-service-version ${stats.version}`);
      return `x-service-version ${stats.version}, ${JSON.stringify(stats.body).slice(0, 120)}`;
    });
  }
  await report.attempt('details POST /url/info on its own loopback', async () => {
    const info = await requestJson(`${base(ports.details)}/url/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:4000/healthz' }),
    });
    const body = info.body as { status?: unknown };
    if (info.status !== 200 || body.status !== 200)
      throw new Error(`HTTP ${info.status}: ${JSON.stringify(info.body).slice(0, 300)}`);
    return JSON.stringify(info.body).slice(0, 160);
  });
  await report.attempt('frontend GET / serves the UI', async () => {
    const response = await fetch(`${base(ports.frontend)}/`, { signal: AbortSignal.timeout(10_000) });
    const html = await response.text();
    if (
      response.status !== 200 ||
      !/text\/html/.test(response.headers.get('content-type') ?? '') ||
      !/<html/i.test(html)
    ) {
      throw new Error(
        `HTTP ${response.status} ${response.headers.get('content-type')}: ${html.slice(0, 120)}`,
      );
    }
    return `${html.length} bytes of HTML`;
  });
  await report.attempt('frontend proxies GET /ping/stats to pinger in the same pod', async () => {
    const stats = await requestJson(`${base(ports.frontend)}/ping/stats`);
    if (stats.status !== 200)
      throw new Error(`HTTP ${stats.status}: ${JSON.stringify(stats.body).slice(0, 200)}`);
    return JSON.stringify(stats.body).slice(0, 120);
  });

  await smokeLoadgen(images, pod, report);

  // The namespace owner goes last: the others share its network.
  for (const service of [...others, podOwner]) {
    await report.attempt(`${service.name} stops on SIGTERM with exit 0`, () =>
      stopCleanly(service.container),
    );
  }
}

/** loadgen joins the pod and drives the frontend for two seconds: the CLI image works end to end. */
async function smokeLoadgen(images: ImageSpec[], pod: string, report: SmokeReport): Promise<void> {
  await report.attempt('loadgen drives the frontend from inside the pod', () => {
    const output = capture(
      'podman',
      [
        'run',
        '--rm',
        '--label',
        SMOKE_LABEL,
        '--network',
        `container:${pod}`,
        ref(find(images, 'loadgen')),
        '--url',
        'http://127.0.0.1:9000',
        '--duration',
        '2',
        '--connections',
        '2',
        '--json',
        '--max-error-rate',
        '0.5',
      ],
      { timeoutMs: 60_000 },
    );
    const summary = JSON.parse(output) as { requests?: { responses?: number }; errorRate?: number };
    const responses = summary.requests?.responses ?? 0;
    if (responses === 0) throw new Error(`no responses: ${output.slice(0, 300)}`);
    return `${responses} responses, error rate ${summary.errorRate}`;
  });
}

/** A local "envoy image" whose /usr/local/bin/envoy is the stand-in: no Envoy image can be pulled here. */
const ENVOY_STAND_IN_IMAGE = 'localhost/learnathon-envoy-stand-in:smoke';
const ENVOY_STAND_IN = 'apps/envoy-sidecar/test/fake-envoy.ts';

/**
 * Bundles the stand-in Envoy (test code of envoy-sidecar) into one file run by the image's own
 * Node (`#!/nodejs/bin/node`, where distroless and the local base keep it) and builds it into an
 * image of just that file, for the sidecar's build argument ENVOY_IMAGE.
 */
function buildEnvoyStandIn(workspaceRoot: string): string {
  const context = path.join(workspaceRoot, 'tmp', 'images', 'envoy-stand-in');
  mkdirSync(context, { recursive: true });
  const binary = path.join(context, 'envoy');
  buildSync({
    entryPoints: [path.join(workspaceRoot, ENVOY_STAND_IN)],
    tsconfig: path.join(workspaceRoot, 'apps', 'envoy-sidecar', 'tsconfig.json'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: binary,
    banner: { js: '#!/nodejs/bin/node' },
    logLevel: 'error',
  });
  chmodSync(binary, 0o755);
  podman([
    'build',
    '--layers=false',
    '--file',
    path.join(workspaceRoot, 'apps', 'envoy-sidecar', 'test', 'fake-envoy.Dockerfile'),
    '--tag',
    ENVOY_STAND_IN_IMAGE,
    context,
  ]);
  return ENVOY_STAND_IN_IMAGE;
}

/** The sidecar is built with the stand-in as its Envoy; every other image as listed. */
function withEnvoyStandIn(images: ImageSpec[], envoyImage: string): ImageSpec[] {
  return images.map((image) =>
    image.project === 'envoy-sidecar'
      ? { ...image, buildArgs: { ...image.buildArgs, ENVOY_IMAGE: envoyImage } }
      : image,
  );
}

/** A minimal Envoy config for the stand-in: admin on the pod's loopback, one listener on the pod's IP. */
function standInEnvoyConfig(): string {
  const address = (host: string, port: number) => ({ socket_address: { address: host, port_value: port } });
  return `${JSON.stringify({
    admin: { address: address('127.0.0.1', 9901) },
    static_resources: { listeners: [{ name: 'inbound_http', address: address('0.0.0.0', 10000) }] },
  })}\n`;
}

/**
 * The sidecar image as a pod runs it: the supervisor is PID 1 as uid 10001, starts its Envoy (the
 * stand-in) on the config mounted as a directory at /etc/envoy, serves GET-only status, and stops
 * cleanly on SIGTERM. Hot restarts themselves are covered by the supervisor's own tests: the
 * stand-in's validation reads Envoy's protos from node_modules, which this image doesn't have.
 */
async function smokeEnvoySidecar(
  images: ImageSpec[],
  workspaceRoot: string,
  report: SmokeReport,
): Promise<void> {
  const configDir = mkdtempSync(path.join(workspaceRoot, 'tmp', 'images', 'envoy-config-'));
  try {
    const config = standInEnvoyConfig();
    writeFileSync(path.join(configDir, 'envoy.json'), config, { mode: 0o644 });
    chmodSync(configDir, 0o755);
    const ports = { status: await freePort(), listener: await freePort() };
    const container = startContainer(
      `learnathon-smoke-${process.pid}-envoy-sidecar`,
      ref(find(images, 'envoy-sidecar')),
      [
        '--publish',
        `127.0.0.1:${ports.status}:9903`,
        '--publish',
        `127.0.0.1:${ports.listener}:10000`,
        '--volume',
        `${configDir}:/etc/envoy:ro`,
        '--env',
        'FAKE_ENVOY_SHM_DIR=/dev/shm',
      ],
    );
    const status = `http://127.0.0.1:${ports.status}`;
    await report.attempt('envoy-sidecar GET /status: epoch 0 with the mounted config', async () => {
      await waitFor(async () => (await httpStatus(`${status}/readyz`, 2_000)) === 200, {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: `${status}/readyz to answer 200`,
      });
      const answer = await requestJson(`${status}/status`);
      const body = answer.body as { epoch?: unknown; configHash?: unknown; envoyPids?: unknown[] };
      const hash = createHash('sha256').update(config).digest('hex');
      if (answer.status !== 200 || body.epoch !== 0 || body.configHash !== hash)
        throw new Error(`HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
      return `epoch 0, config ${hash.slice(0, 12)}, envoy pids ${JSON.stringify(body.envoyPids)}`;
    });
    await report.attempt("envoy-sidecar runs its Envoy, which serves the config's listener", async () => {
      const answer = await requestJson(`http://127.0.0.1:${ports.listener}/`);
      const body = answer.body as { listener?: unknown; epoch?: unknown };
      if (answer.status !== 200 || body.listener !== 'inbound_http' || body.epoch !== 0)
        throw new Error(`HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
      return JSON.stringify(body).slice(0, 120);
    });
    await report.attempt('envoy-sidecar status port is read-only and serves /metrics', async () => {
      const refused = await fetch(`${status}/status`, {
        method: 'POST',
        signal: AbortSignal.timeout(10_000),
      });
      if (refused.status !== 405) throw new Error(`POST /status answered ${refused.status}`);
      const metrics = await (
        await fetch(`${status}/metrics`, { signal: AbortSignal.timeout(10_000) })
      ).text();
      if (!metrics.includes('envoy_sidecar_restart_epoch'))
        throw new Error('no envoy_sidecar_restart_epoch in /metrics');
      return 'POST 405, /metrics has envoy_sidecar_restart_epoch';
    });
    await report.attempt(`envoy-sidecar runs as uid ${APP_UID}`, () => {
      const uid = containerUid(container);
      if (uid !== APP_UID) throw new Error(`runs as uid ${uid}`);
      return `uid ${uid}`;
    });
    await report.attempt('envoy-sidecar stops on SIGTERM with exit 0', () => stopCleanly(container));
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}

export async function smoke(options: SmokeOptions): Promise<number> {
  const started = Date.now();
  requireProgram('podman');
  const images = loadImageList(options.workspaceRoot);
  requireSources(images, options.workspaceRoot);
  removeLeftovers();
  const report = new SmokeReport();
  try {
    const base = await ensureBaseImage({ workspaceRoot: options.workspaceRoot, rebuild: options.rebuild });
    const previous = imageIds(images);
    const envoyImage = buildEnvoyStandIn(options.workspaceRoot);
    // Stable tags only and no layer cache: a run leaves one image per entry, whatever ran before.
    await buildImages(withEnvoyStandIn(images, envoyImage), {
      engine: 'podman',
      workspaceRoot: options.workspaceRoot,
      sha: undefined,
      buildImage: base,
      runtimeImage: base,
      network: options.network,
      layerCache: false,
    });
    podman(['rmi', '--force', envoyImage]);
    removeReplaced(previous, imageIds(images));
    report.record(
      'all images built',
      true,
      images.map((image) => `${image.repository}:${image.tag}`).join(', '),
    );
    for (const image of images) {
      await report.attempt(`${ref(image)} config (non-root, NODE_ENV, exec-form node)`, () =>
        checkImageConfig(ref(image)),
      );
      await report.attempt(`${ref(image)} production dependencies only`, () =>
        checkProductionDepsOnly(ref(image)),
      );
    }
    await smokeServices(images, report);
    await smokeEnvoySidecar(images, options.workspaceRoot, report);
  } finally {
    removeLeftovers();
  }
  const passed = report.checks.length - report.failed;
  logLine(`smoke finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(`${passed} passed, ${report.failed} failed\n`);
  return report.failed === 0 ? 0 : 1;
}
