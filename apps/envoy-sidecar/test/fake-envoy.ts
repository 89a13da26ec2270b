/**
 * A stand-in for the `envoy` executable, for the supervisor's tests and the image smoke test only
 * (Envoy can't run on the machines that run them). Never shipped: the image gets the real binary
 * from ENVOY_IMAGE; the smoke test builds a local "envoy image" with this file as /usr/local/bin/envoy.
 *
 * What it follows of Envoy's contract (ARCHITECTURE.md "Hot restart"):
 * - flags: `-c`, `--mode validate`, `--restart-epoch`, `--base-id`, `--use-dynamic-base-id` with
 *   `--base-id-path` (epoch 0 only), `--drain-time-s`, `--parent-shutdown-time-s`, `--concurrency`,
 *   `--drain-strategy`, `--hot-restart-version`; an unknown flag is a parse error, exit 1;
 * - `--mode validate` checks the config with the project's validator (@learnathon/mesh: Envoy's
 *   protos and validate.rules, then the mesh's rules) and exits 0, or 1 with the problems; in
 *   serve mode it reads only what it serves (admin and listener addresses), a config it can't
 *   read is refused with exit 1. The validator reads Envoy's protos from node_modules, so the
 *   smoke image's stand-in (bundled on its own, no node_modules) can serve but not validate;
 * - epochs of one base id meet through a "shared memory" file and one unix socket per epoch in
 *   FAKE_ENVOY_SHM_DIR (Envoy: /dev/shm/envoy_shared_memory_{base_id} and abstract domain sockets):
 *   epoch 0 refuses a base id already in use, epoch N asks epoch N-1 to hand over, N-1 refuses
 *   while it is still initializing ("previous envoy process is still initializing"), otherwise
 *   closes its listeners, drains and exits after --parent-shutdown-time-s, and tells its own
 *   parent, if any is still alive, to exit at once (a third process ends the oldest);
 * - it serves every listener of the config (HTTP 200 naming epoch and config hash) and an admin
 *   endpoint: /server_info, /stats?filter=, /stats/prometheus, /ready, POST /drain_listeners, /quitquitquit;
 * - SIGTERM/SIGINT: exit 0 at once.
 * What it cannot show: handing the listening sockets to the next epoch without refusing a single
 * connection (Envoy passes them over its domain socket; here the parent closes and the child binds,
 * a gap of milliseconds). That is Envoy's own work and only the kind end-to-end run shows it.
 *
 * FAKE_ENVOY_INIT_DELAY_MS: how long each process stays "initializing" before it binds and is LIVE.
 * FAKE_ENVOY_HANDOVER_REFUSALS: how many children a process refuses as "still initializing" even
 * once admin says LIVE (Envoy's hot-restart state can lag behind its admin state); a count, not a
 * time, so a test gets exactly that many refusals however slow the machine.
 */
import { createHash, randomInt } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { validateEnvoyConfig } from '@learnathon/mesh';

const HOT_RESTART_VERSION = '11.104';

interface SocketAddress {
  address: string;
  port: number;
}

interface FakeConfig {
  admin: SocketAddress;
  listeners: Array<{ name: string } & SocketAddress>;
}

function fatal(message: string): never {
  process.stderr.write(`[critical][main] ${message}\n`);
  process.exit(1);
}

function socketAddress(value: unknown, where: string): SocketAddress {
  const socket = (value as { socket_address?: { address?: unknown; port_value?: unknown } })?.socket_address;
  if (typeof socket?.address !== 'string' || !Number.isInteger(socket.port_value))
    throw new Error(`${where}: address.socket_address needs address and an integer port_value`);
  return { address: socket.address, port: socket.port_value as number };
}

/** What serving needs: the admin address and each listener's name and address. */
function servedAddresses(text: string): FakeConfig {
  let parsed: { admin?: { address?: unknown }; static_resources?: { listeners?: unknown } };
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Unable to parse JSON as proto (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('Unable to parse JSON as proto: not an object');
  const admin = socketAddress(parsed.admin?.address, 'admin');
  const listeners = parsed.static_resources?.listeners ?? [];
  if (!Array.isArray(listeners)) throw new Error('static_resources.listeners must be a list');
  return {
    admin,
    listeners: listeners.map((listener: { name?: unknown; address?: unknown }, index) => {
      if (typeof listener.name !== 'string' || listener.name === '')
        throw new Error(`static_resources.listeners[${index}]: name is required`);
      return { name: listener.name, ...socketAddress(listener.address, `listener ${listener.name}`) };
    }),
  };
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        c: { type: 'string' },
        'config-path': { type: 'string' },
        mode: { type: 'string', default: 'serve' },
        'restart-epoch': { type: 'string', default: '0' },
        'base-id': { type: 'string', default: '0' },
        'use-dynamic-base-id': { type: 'boolean', default: false },
        'base-id-path': { type: 'string' },
        'drain-time-s': { type: 'string', default: '600' },
        'parent-shutdown-time-s': { type: 'string', default: '900' },
        'drain-strategy': { type: 'string', default: 'gradual' },
        concurrency: { type: 'string' },
        'hot-restart-version': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`PARSE ERROR: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

const flags = parseCommandLine();
if (flags['hot-restart-version']) {
  process.stdout.write(`${HOT_RESTART_VERSION}\n`);
  process.exit(0);
}
const configPath = flags.c ?? flags['config-path'];
if (!configPath)
  fatal('At least one of --config-path or --config-yaml or Options::configProto() should be non-empty');
const integerFlag = (name: 'restart-epoch' | 'base-id' | 'drain-time-s' | 'parent-shutdown-time-s') => {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < 0)
    fatal(`--${name} must be a non-negative integer, got '${flags[name]}'`);
  return value;
};
const epoch = integerFlag('restart-epoch');
const drainTimeS = integerFlag('drain-time-s');
const parentShutdownTimeS = integerFlag('parent-shutdown-time-s');

let configText: string;
try {
  configText = readFileSync(configPath, 'utf8');
} catch (error) {
  fatal(`error initializing configuration '${configPath}': ${(error as Error).message}`);
}
if (flags.mode === 'validate') {
  const { errors } = validateEnvoyConfig(configText);
  if (errors.length > 0) fatal(`error initializing configuration '${configPath}': ${errors.join('; ')}`);
  process.stdout.write(`configuration '${configPath}' OK\n`);
  process.exit(0);
}
let config: FakeConfig;
try {
  config = servedAddresses(configText);
} catch (error) {
  fatal(`error initializing configuration '${configPath}': ${(error as Error).message}`);
}
if (flags.mode !== 'serve') fatal(`unknown --mode '${flags.mode}'`);
if (flags['use-dynamic-base-id'] && epoch !== 0)
  fatal(`cannot use --restart-epoch=${epoch} with --use-dynamic-base-id`);

const shmDir = process.env['FAKE_ENVOY_SHM_DIR'] ?? os.tmpdir();
const shmFile = (id: number) => path.join(shmDir, `envoy_shared_memory_${id}`);
const socketFile = (id: number, forEpoch: number) =>
  path.join(shmDir, `envoy_domain_socket_${id}_${forEpoch}`);

function baseIdInUse(id: number): boolean {
  return existsSync(shmFile(id)) || existsSync(socketFile(id, 0));
}

function chooseBaseId(): number {
  if (!flags['use-dynamic-base-id']) return integerFlag('base-id');
  for (;;) {
    const candidate = randomInt(1, 2 ** 31 - 1);
    if (!baseIdInUse(candidate)) return candidate;
  }
}

const baseId = chooseBaseId();
if (flags['base-id-path']) writeFileSync(flags['base-id-path'], String(baseId));
if (epoch === 0 && baseIdInUse(baseId))
  fatal(`unable to bind domain socket with base_id=${baseId}, id=0 (see --base-id option)`);
if (epoch > 0 && !existsSync(shmFile(baseId)))
  fatal(`Unable to open shared memory region ${shmFile(baseId)} for restart epoch ${epoch}`);

const configHash = createHash('sha256').update(configText).digest('hex');
const startedAt = Date.now();
let refusalsLeft = Number(process.env['FAKE_ENVOY_HANDOVER_REFUSALS'] ?? 0);
let state: 'INITIALIZING' | 'LIVE' | 'DRAINING' = 'INITIALIZING';
const servers: http.Server[] = [];
let parentLink: net.Socket | undefined;
let handedOver = false;

function log(message: string): void {
  process.stderr.write(`[info][main] [epoch ${epoch} pid ${process.pid}] ${message}\n`);
}

function cleanUp(): void {
  for (const file of [socketFile(baseId, epoch), ...(handedOver ? [] : [shmFile(baseId)])]) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
}

function exit(code: number, why: string): never {
  log(`exiting: ${why}`);
  cleanUp();
  process.exit(code);
}

function closeListeners(): Promise<unknown> {
  return Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
}

function listen(server: http.Server, { address, port }: SocketAddress, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.on('error', (error: NodeJS.ErrnoException) => {
      // A parent that is going away may hold the port a moment longer; Envoy would receive the socket instead.
      if (error.code === 'EADDRINUSE' && Date.now() < deadline)
        setTimeout(() => server.listen(port, address), 20);
      else reject(error);
    });
    server.once('listening', () => resolve());
    server.listen(port, address);
  });
}

function adminHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://admin');
  const text = (status: number, body: string) =>
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  if (req.method === 'GET' && url.pathname === '/server_info') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        version: 'fake-envoy/stand-in',
        state,
        hot_restart_version: HOT_RESTART_VERSION,
        command_line_options: {
          base_id: String(baseId),
          restart_epoch: epoch,
          concurrency: Number(flags.concurrency ?? os.availableParallelism()),
          drain_time: `${drainTimeS}s`,
          parent_shutdown_time: `${parentShutdownTimeS}s`,
          drain_strategy: flags['drain-strategy'] === 'immediate' ? 'Immediate' : 'Gradual',
        },
        uptime_current_epoch: `${Math.floor((Date.now() - startedAt) / 1000)}s`,
      }),
    );
  } else if (req.method === 'GET' && url.pathname === '/stats') {
    const lines = [`server.hot_restart_epoch: ${epoch}`, `server.live: ${state === 'LIVE' ? 1 : 0}`];
    const filter = url.searchParams.get('filter');
    text(
      200,
      `${lines.filter((line) => !filter || new RegExp(filter).test(line.split(':')[0] ?? '')).join('\n')}\n`,
    );
  } else if (req.method === 'GET' && url.pathname === '/stats/prometheus') {
    text(
      200,
      `# TYPE envoy_server_hot_restart_epoch gauge\nenvoy_server_hot_restart_epoch{} ${epoch}\n# TYPE envoy_server_live gauge\nenvoy_server_live{} ${state === 'LIVE' ? 1 : 0}\n`,
    );
  } else if (req.method === 'GET' && url.pathname === '/ready') {
    text(state === 'LIVE' ? 200 : 503, `${state}\n`);
  } else if (req.method === 'POST' && url.pathname === '/drain_listeners') {
    state = 'DRAINING';
    const delayMs = url.searchParams.has('graceful') ? drainTimeS * 1000 : 0;
    setTimeout(() => void closeListeners(), delayMs).unref();
    text(200, 'OK\n');
  } else if (req.method === 'POST' && url.pathname === '/quitquitquit') {
    text(200, 'OK\n');
    setImmediate(() => exit(0, '/quitquitquit'));
  } else {
    text(404, 'invalid path\n');
  }
}

/**
 * The hand-over a child asks for ("hello"): refuse while initializing, else give up the sockets and
 * drain. The link stays open: a later "terminate" on it means a third epoch started, so this, the
 * oldest, goes at once.
 */
function serveChildren(): void {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', async (chunk) => {
      const message = chunk.toString();
      if (message.includes('terminate')) exit(0, 'terminated: a third epoch started');
      if (!message.startsWith('hello')) return;
      if (state === 'INITIALIZING' || refusalsLeft-- > 0) {
        socket.end('initializing\n');
        return;
      }
      handedOver = true;
      parentLink?.write('terminate\n');
      state = 'DRAINING';
      await closeListeners();
      socket.write('ok\n');
      log(
        `handed over to epoch ${epoch + 1}; draining ${drainTimeS} s, exiting after ${parentShutdownTimeS} s`,
      );
      setTimeout(() => exit(0, 'parent shutdown time reached'), parentShutdownTimeS * 1000);
    });
  });
  server.on('error', (error) =>
    fatal(`unable to bind domain socket with base_id=${baseId}, id=${epoch}: ${error.message}`),
  );
  // A file socket (Envoy's are abstract) survives a process that died: a retry of this epoch takes it over.
  try {
    unlinkSync(socketFile(baseId, epoch));
  } catch {
    // none left behind
  }
  server.listen(socketFile(baseId, epoch));
}

/** Epoch N > 0: ask epoch N-1 to hand over, and keep the link to tell it to terminate later. */
function askParent(): Promise<void> {
  return new Promise((resolve) => {
    const link = net.connect(socketFile(baseId, epoch - 1));
    link.once('error', () => {
      log(`no epoch ${epoch - 1} to take over from; starting on its own`);
      parentLink = undefined;
      resolve();
    });
    link.once('connect', () => {
      link.on('error', () => undefined);
      link.write(`hello ${process.pid}\n`);
    });
    link.once('data', (answer) => {
      if (answer.toString().startsWith('initializing'))
        fatal('unable to start: previous envoy process is still initializing');
      resolve();
    });
    parentLink = link;
  });
}

async function main(): Promise<void> {
  if (epoch === 0) writeFileSync(shmFile(baseId), JSON.stringify({ pid: process.pid }));
  serveChildren();
  if (epoch > 0) await askParent();
  await new Promise((resolve) => setTimeout(resolve, Number(process.env['FAKE_ENVOY_INIT_DELAY_MS'] ?? 0)));
  // Generous on a loaded machine, where the parent can take a while to let go of its ports, yet
  // well inside the supervisor's start timeout in the specs (10 s), so a port truly taken still fails.
  const deadline = Date.now() + 4_000;
  const admin = http.createServer(adminHandler);
  await listen(admin, config.admin, deadline);
  servers.push(admin);
  for (const listener of config.listeners) {
    const server = http.createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-fake-envoy-epoch': String(epoch) })
        .end(JSON.stringify({ listener: listener.name, epoch, configHash })),
    );
    await listen(server, listener, deadline);
    servers.push(server);
  }
  state = 'LIVE';
  log(`live: admin ${config.admin.address}:${config.admin.port}, ${config.listeners.length} listener(s)`);
}

process.on('SIGTERM', () => exit(0, 'SIGTERM'));
process.on('SIGINT', () => exit(0, 'SIGINT'));
main().catch((error: Error) => {
  cleanUp();
  fatal(`unable to start: ${error.message}`);
});
