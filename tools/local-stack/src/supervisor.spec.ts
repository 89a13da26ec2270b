import { freePort, waitFor } from '@learnathon/process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Supervisor } from './supervisor';

let dist: string;
beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'supervisor-'));
  // A tiny service: answers /readyz, exits 0 on SIGTERM, exits 3 at once when CRASH is set, and
  // exits 4 on GET /crash (a crash after it was ready).
  await writeFile(
    path.join(dist, 'service.js'),
    `if (process.env.CRASH) process.exit(3);
     const server = require('node:http').createServer((req, res) => {
       if (req.url === '/crash') process.exit(4);
       res.end(String(process.pid));
     }).listen(Number(process.env.PORT), process.env.HOST);
     process.on('SIGTERM', () => server.close(() => process.exit(0)));`,
  );
});
afterAll(async () => {
  await rm(dist, { recursive: true, force: true });
});

const service = (name: string, port: number, env: Record<string, string> = {}) => ({
  name,
  script: 'service.js',
  port,
  env,
});
const pidOn = async (port: number) => Number(await (await fetch(`http://127.0.0.1:${port}/`)).text());

describe('Supervisor', () => {
  jest.setTimeout(30_000);

  it('starts services in order, waits for each to be ready, and stops them all cleanly', async () => {
    const supervisor = new Supervisor(dist, () => undefined);
    const ports = [await freePort(), await freePort()];
    await supervisor.start(
      ports.map((port, index) => service(`svc${index}`, port)),
      { PATH: process.env['PATH'] ?? '' },
    );
    for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(supervisor.running.map(({ name }) => name)).toEqual(['svc0', 'svc1']);
    expect(await supervisor.stop()).toBe(true);
    for (const port of ports) await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
  });

  it('refuses to start when a port is taken, naming it, and starts nothing', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const supervisor = new Supervisor(dist, () => undefined);
    try {
      await expect(
        supervisor.start([service('first', await freePort()), service('second', taken)], {}),
      ).rejects.toThrow(`port ${taken} (second) is already in use on 127.0.0.1`);
      expect(supervisor.running).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('fails the start at once, with the reason, when a service cannot start at all', async () => {
    const supervisor = new Supervisor(dist, () => undefined);
    await expect(
      supervisor.start([service('crasher', await freePort(), { CRASH: '1' })], {}),
    ).rejects.toThrow('crasher exited during start-up (exit code 3)');
    expect(await supervisor.stop()).toBe(true);
  });

  it('restarts a service that crashes after start-up, counting restarts, while the others keep serving', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor(dist, (line) => lines.push(line), { backoff: { initialMs: 50 } });
    const [steady, fragile] = [await freePort(), await freePort()];
    await supervisor.start([service('steady', steady), service('fragile', fragile)], {});
    try {
      const steadyPid = await pidOn(steady);
      for (const restart of [1, 2]) {
        const before = await pidOn(fragile);
        await fetch(`http://127.0.0.1:${fragile}/crash`).catch(() => undefined);
        const after = await waitFor(async () => ((await pidOn(fragile)) !== before ? pidOn(fragile) : 0), {
          what: `fragile restart ${restart}`,
        });
        expect(after).not.toBe(before);
        // The new process answers before the supervisor's own readiness check has printed its line.
        const back = `fragile is back (pid ${after}, ${restart} restart${restart === 1 ? '' : 's'})`;
        await waitFor(() => lines.includes(`local-stack: ${back}`), { what: back });
        expect(await pidOn(steady)).toBe(steadyPid);
      }
      expect(lines.filter((line) => line.startsWith('local-stack:'))).toEqual([
        'local-stack: fragile exited unexpectedly (exit code 4); restart 1 in 0.05 s',
        expect.stringMatching(/^local-stack: fragile is back \(pid \d+, 1 restart\)$/),
        'local-stack: fragile exited unexpectedly (exit code 4); restart 2 in 0.1 s',
        expect.stringMatching(/^local-stack: fragile is back \(pid \d+, 2 restarts\)$/),
      ]);
      expect(supervisor.running.find(({ name }) => name === 'fragile')?.restarts).toBe(2);
    } finally {
      expect(await supervisor.stop()).toBe(true);
    }
  });

  it('does not restart anything once stopping, even with a restart pending', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor(dist, (line) => lines.push(line), { backoff: { initialMs: 300 } });
    const port = await freePort();
    await supervisor.start([service('fragile', port)], {});
    await fetch(`http://127.0.0.1:${port}/crash`).catch(() => undefined);
    await waitFor(() => lines.some((line) => line.includes('restart 1 in 0.3 s')), {
      what: 'the crash noticed',
    });
    expect(await supervisor.stop()).toBe(true);
    // Well past the pending restart's delay: nothing came back.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(lines.filter((line) => line.includes('is back'))).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
    expect(supervisor.running).toEqual([]);
  });
});
