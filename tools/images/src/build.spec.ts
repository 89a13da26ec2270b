import { buildArgs } from './build';
import type { ImageSpec } from './image-list';
import { pingerImage } from '../test/pinger-image';

const pingerV2 = pingerImage('v2');

describe('buildArgs', () => {
  it('tags both names, passes project, folder, port, the version and the commit, with the repository root as context', () => {
    expect(buildArgs(pingerV2, { engine: 'docker', workspaceRoot: '/repo', sha: 'abc1234' })).toEqual([
      'build',
      '--file',
      'tools/images/node-service.Dockerfile',
      '--tag',
      'docker.io/learnathon/pinger:v2',
      '--tag',
      'docker.io/learnathon/pinger:v2-abc1234',
      '--build-arg',
      'PROJECT=pinger',
      '--build-arg',
      'PROJECT_ROOT=apps/pinger',
      '--build-arg',
      'PORT=3000',
      '--build-arg',
      'PINGER_VERSION=v2',
      '--build-arg',
      'GIT_SHA=abc1234',
      '.',
    ]);
  });

  it('builds a CLI without a port at its own stage', () => {
    const loadgen: ImageSpec = {
      ...pingerV2,
      project: 'loadgen',
      root: 'tools/loadgen',
      target: 'cli',
      port: null,
      buildArgs: {},
    };
    const args = buildArgs(loadgen, { engine: 'docker', workspaceRoot: '/repo', sha: undefined });
    expect(args).toEqual(expect.arrayContaining(['PROJECT=loadgen', 'PROJECT_ROOT=tools/loadgen']));
    expect(args.join(' ')).toContain('--target cli');
    expect(args.join(' ')).not.toContain('PORT=');
  });

  it('overrides the base images and the network only when asked', () => {
    const args = buildArgs(pingerV2, {
      engine: 'podman',
      workspaceRoot: '/repo',
      sha: undefined,
      buildImage: 'localhost/base:20',
      runtimeImage: 'localhost/base:20',
      network: 'host',
    });
    expect(args).toEqual(
      expect.arrayContaining([
        'BUILD_IMAGE=localhost/base:20',
        'RUNTIME_IMAGE=localhost/base:20',
        '--network=host',
      ]),
    );
    expect(args.join(' ')).not.toContain('GIT_SHA');
  });

  it('skips the podman layer cache for every image, whose build args always differ (PROJECT)', () => {
    const podman = { engine: 'podman' as const, workspaceRoot: '/repo', sha: undefined };
    expect(buildArgs(pingerV2, podman)).toContain('--no-cache');
    expect(buildArgs({ ...pingerV2, buildArgs: {} }, podman)).toContain('--no-cache');
    expect(buildArgs(pingerV2, { ...podman, engine: 'docker' })).not.toContain('--no-cache');
  });

  it('keeps no intermediate podman images when the layer cache is off', () => {
    const args = buildArgs(pingerV2, {
      engine: 'podman',
      workspaceRoot: '/repo',
      sha: undefined,
      layerCache: false,
    });
    expect(args).toContain('--layers=false');
    expect(args).not.toContain('--no-cache');
  });
});
