import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalStack } from './local-stack';

/**
 * A stand-in for the built local-stack runner (the real one is started by stack-e2e and k8s):
 * it answers on FRONTEND_PORT, reports a failing probe round before a passing one, echoes what it
 * was started with, and exits 0 on SIGINT like the real runner.
 */
const FAKE_RUNNER = `
const http = require('node:http');
let rounds = 0;
const stats = (code) => ({ '0a1b': { url: 'http://127.0.0.1:1/', statusCode: code } });
const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/readyz') return res.end('{}');
  if (req.url === '/ping/stats') return res.end(JSON.stringify(stats(++rounds > 2 ? 200 : -1)));
  if (req.url === '/started-with') return res.end(JSON.stringify({ argv: process.argv.slice(2), rounds, env: process.env }));
  res.statusCode = 404; res.end('{}');
}).listen(Number(process.env.FRONTEND_PORT), '127.0.0.1');
process.on('SIGINT', () => server.close(() => process.exit(0)));
`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'local-stack-'));
  await mkdir(path.join(root, 'dist/tools/local-stack'), { recursive: true });
  await writeFile(path.join(root, 'dist/tools/local-stack/main.js'), FAKE_RUNNER);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('startLocalStack', () => {
  it('runs the built runner on free ports and waits for a probe round in which everything answered', async () => {
    const stack = await startLocalStack({ pinger: 'v2', env: { EXTRA: 'yes' }, root });
    try {
      const started = (await (await fetch(`${stack.frontend}/started-with`)).json()) as {
        argv: string[];
        rounds: number;
        env: Record<string, string>;
      };
      expect(started.argv).toEqual(['--pinger', 'v2']);
      expect(started.rounds).toBeGreaterThanOrEqual(3);
      expect(started.env).toMatchObject({
        FRONTEND_PORT: String(stack.ports.frontend),
        PINGER_V1_PORT: String(stack.ports.pingerV1),
        PINGER_V2_PORT: String(stack.ports.pingerV2),
        DETAILS_PORT: String(stack.ports.details),
        PINGER_INTERVAL_MS: '500',
        EXTRA: 'yes',
      });
      expect(new Set(Object.values(stack.ports)).size).toBe(4);
      expect(stack.pingerV2).toBe(`http://127.0.0.1:${stack.ports.pingerV2}`);
    } finally {
      expect(await stack.stop()).toBe(0);
    }
  });

  it('names the missing build when the runner was not built', async () => {
    await expect(startLocalStack({ root: path.join(root, 'nothing') })).rejects.toThrow(
      'tools/local-stack/main.js is missing: build first',
    );
  });
});
