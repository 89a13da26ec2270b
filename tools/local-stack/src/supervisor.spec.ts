import { freePort } from '@learnathon/process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Supervisor } from './supervisor';

let dist: string;
beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'supervisor-'));
  // A tiny service: answers /readyz, exits 0 on SIGTERM, or exits 3 at once when asked to.
  await writeFile(
    path.join(dist, 'service.js'),
    `if (process.env.CRASH) process.exit(3);
     const server = require('node:http').createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), process.env.HOST);
     process.on('SIGTERM', () => server.close(() => process.exit(0)));`,
  );
});
afterAll(async () => {
  await rm(dist, { recursive: true, force: true });
});

describe('Supervisor', () => {
  it('starts services in order, waits for each to be ready, and stops them all cleanly', async () => {
    const lines: string[] = [];
    const unexpected: string[] = [];
    const supervisor = new Supervisor(
      dist,
      (line) => lines.push(line),
      (name) => unexpected.push(name),
    );
    const ports = [await freePort(), await freePort()];
    await supervisor.start(
      ports.map((port, index) => ({ name: `svc${index}`, script: 'service.js', port, env: {} })),
      { PATH: process.env['PATH'] ?? '' },
    );
    for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(await supervisor.stop()).toBe(true);
    expect(unexpected).toEqual([]);
    for (const port of ports) await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
  });

  it('refuses to start when a port is taken, naming it, and starts nothing', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const free = await freePort();
    const supervisor = new Supervisor(
      dist,
      () => undefined,
      () => undefined,
    );
    try {
      await expect(
        supervisor.start(
          [
            { name: 'first', script: 'service.js', port: free, env: {} },
            { name: 'second', script: 'service.js', port: taken, env: {} },
          ],
          {},
        ),
      ).rejects.toThrow(`port ${taken} (second) is already in use on 127.0.0.1`);
      expect(supervisor.running).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('reports a service that dies during start-up', async () => {
    const unexpected: Array<[string, number | string]> = [];
    const supervisor = new Supervisor(
      dist,
      () => undefined,
      (name, code) => unexpected.push([name, code]),
    );
    await expect(
      supervisor.start(
        [{ name: 'crasher', script: 'service.js', port: await freePort(), env: { CRASH: '1' } }],
        {},
      ),
    ).rejects.toThrow('crasher exited during start-up');
    expect(unexpected).toEqual([['crasher', 3]]);
  });
});
