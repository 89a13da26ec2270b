import { loadConfig, portVar } from '@learnathon/service-runtime';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, PORT_VARIABLES, stackServices, type StackPorts } from './stack';
import { Supervisor } from './supervisor';

const USAGE = `Usage: npm start [-- --pinger v1|v2]

Starts details, pinger v1, pinger v2 and frontend on 127.0.0.1, restarts one that crashes (1 s, 2 s,
4 s ... backoff) while the others keep serving, and stops them all on Ctrl-C.
  --pinger v1|v2   which pinger version the frontend talks to (default v1)
Ports: ${Object.entries(PORT_VARIABLES)
  .map(([key, name]) => `${name}=${DEFAULT_PORTS[key as keyof StackPorts]}`)
  .join(' ')}`;

const print = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string): never => {
  process.stderr.write(`local-stack: ${message}\n`);
  process.exit(2);
};

function readOptions() {
  try {
    const { values } = parseArgs({
      options: { pinger: { type: 'string', default: 'v1' }, help: { type: 'boolean', default: false } },
    });
    if (values.help) {
      print(USAGE);
      process.exit(0);
    }
    if (values.pinger !== 'v1' && values.pinger !== 'v2')
      fail(`--pinger must be v1 or v2, got '${values.pinger}'`);
    const ports = loadConfig({
      frontend: portVar(PORT_VARIABLES.frontend, DEFAULT_PORTS.frontend),
      pingerV1: portVar(PORT_VARIABLES.pingerV1, DEFAULT_PORTS.pingerV1),
      pingerV2: portVar(PORT_VARIABLES.pingerV2, DEFAULT_PORTS.pingerV2),
      details: portVar(PORT_VARIABLES.details, DEFAULT_PORTS.details),
    });
    return { ports, pinger: values.pinger as 'v1' | 'v2' };
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const { ports, pinger } = readOptions();
  let shuttingDown = false;
  // parent-watch.js is built beside this file; it stops the services should this runner die.
  const supervisor = new Supervisor(path.resolve(__dirname, '../..'), print, {
    preload: path.join(__dirname, 'parent-watch.js'),
  });

  const shutdown = async (exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const clean = await supervisor.stop();
    print(
      clean ? 'local-stack: all services stopped cleanly' : 'local-stack: some services did not stop cleanly',
    );
    process.exit(clean ? exitCode : 1);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // A closed terminal sends SIGHUP to this runner only (each service has its own process group),
  // and writing to it then fails (EIO, or EPIPE for a pipe): neither may end the runner before
  // it has stopped its services, or they would keep running, and holding the ports, unseen.
  process.on('SIGHUP', () => void shutdown(0));
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  try {
    await supervisor.start(stackServices(ports, pinger), { LOG_LEVEL: 'info', ...process.env });
  } catch (error) {
    if (shuttingDown) return; // Ctrl-C during start-up: shutdown() stops what started
    process.stderr.write(`local-stack: ${(error as Error).message}\n`);
    await shutdown(1);
    return;
  }
  const crashTarget = supervisor.running.find(({ name }) => name === `pinger-${pinger}`);
  print(
    [
      '',
      `  UI        http://127.0.0.1:${ports.frontend}/   (frontend -> pinger ${pinger})`,
      `  stats     curl localhost:${ports.frontend}/ping/stats`,
      `  pinger    v1 http://127.0.0.1:${ports.pingerV1}   v2 http://127.0.0.1:${ports.pingerV2}`,
      `  details   http://127.0.0.1:${ports.details}`,
      '  metrics   /metrics on every port; Ctrl-C stops everything',
      `  pids      ${supervisor.running.map(({ name, pid }) => `${name}=${pid}`).join(' ')}`,
      `  try it    kill -9 ${crashTarget?.pid}   crashes pinger ${pinger}; the frontend answers /ping/stats with 502`,
      '            until it is restarted (after 1 s, then 2 s, 4 s ... while it keeps crashing)',
      '',
    ].join('\n'),
  );
}

void main();
