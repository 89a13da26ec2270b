import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { kindVersionProblem, portsInUse } from './checks';
import { MINIMUM_KIND_VERSION } from './plan';

const root = path.resolve(__dirname, '../../..');

describe('portsInUse', () => {
  let server: Server;
  let busyPort: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    busyPort = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reports a port something on 127.0.0.1 listens on, and not a free one', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const freePort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect(await portsInUse([busyPort, freePort])).toEqual([busyPort]);
  });

  it('leaves a free port free after checking it', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect(await portsInUse([port])).toEqual([]);
    expect(await portsInUse([port])).toEqual([]);
  });
});

describe('kind version check', () => {
  it.each([
    ['kind v0.29.0 go1.24.2 linux/amd64', undefined],
    ['kind v0.30.1 go1.24.6 darwin/arm64', undefined],
    ['kind v1.0.0 go1.25 linux/amd64', undefined],
  ])('accepts %s', (output, problem) => {
    expect(kindVersionProblem(output, MINIMUM_KIND_VERSION)).toBe(problem);
  });

  it.each(['kind v0.28.0 go1.24.2 linux/amd64', 'kind v0.24.0 go1.22.6 linux/amd64'])(
    'refuses %s',
    (output) => {
      expect(kindVersionProblem(output, MINIMUM_KIND_VERSION)).toMatch(
        /too old: v0\.29\.0 or later is needed/,
      );
    },
  );

  it('says so when it cannot read the version', () => {
    expect(kindVersionProblem('command not found', MINIMUM_KIND_VERSION)).toMatch(
      /cannot read the kind version/,
    );
  });

  it('asks for the kind version that k8s/cluster/kind-config.yaml states for its pinned node image', () => {
    const config = readFileSync(path.join(root, 'k8s/cluster/kind-config.yaml'), 'utf8');
    expect(config).toContain(`Needs kind v${MINIMUM_KIND_VERSION} or later`);
  });
});
