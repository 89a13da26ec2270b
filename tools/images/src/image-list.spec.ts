import path from 'node:path';
import {
  imageRefs,
  imagesForDockerfile,
  ImageListError,
  loadImageList,
  parseImageList,
  type ImageSpec,
} from './image-list';

const workspaceRoot = path.resolve(__dirname, '../../..');

const pingerV1: ImageSpec = {
  project: 'pinger',
  dockerfile: 'apps/pinger/Dockerfile',
  repository: 'learnathon/pinger',
  tag: 'v1',
  shaTag: 'v1-{sha}',
  port: 3000,
  buildArgs: { PINGER_VERSION: 'v1' },
};

describe('the committed image list', () => {
  const images = loadImageList(workspaceRoot);

  it('names the four images the manifests use, pinger twice', () => {
    expect(images.map((image) => `${image.repository}:${image.tag}`).sort()).toEqual([
      'learnathon/details:dev',
      'learnathon/frontend:dev',
      'learnathon/loadgen:dev',
      'learnathon/pinger:v1',
      'learnathon/pinger:v2',
    ]);
  });

  it('builds pinger v1 and v2 from one Dockerfile, differing only in PINGER_VERSION', () => {
    const pingers = imagesForDockerfile(images, 'apps/pinger/Dockerfile');
    expect(pingers.map((image) => image.buildArgs['PINGER_VERSION'])).toEqual(['v1', 'v2']);
  });
});

describe('parseImageList', () => {
  it('rejects a list without images', () => {
    expect(() => parseImageList({})).toThrow(ImageListError);
  });

  it('names the entry and field of a bad tag', () => {
    expect(() => parseImageList({ images: [{ ...pingerV1, tag: 'not a tag' }] })).toThrow(
      'images[0].tag is invalid',
    );
  });

  it('rejects a sha tag without {sha}', () => {
    expect(() => parseImageList({ images: [{ ...pingerV1, shaTag: 'v1' }] })).toThrow('must contain {sha}');
  });

  it('rejects the same repository:tag twice', () => {
    expect(() => parseImageList({ images: [pingerV1, pingerV1] })).toThrow(
      'lists learnathon/pinger:v1 twice',
    );
  });

  it('rejects a port that is not a TCP port', () => {
    expect(() => parseImageList({ images: [{ ...pingerV1, port: 70_000 }] })).toThrow(
      'port must be a TCP port or null',
    );
  });
});

describe('imagesForDockerfile', () => {
  it('says which file has no entry', () => {
    expect(() => imagesForDockerfile([pingerV1], 'apps/other/Dockerfile')).toThrow(
      'apps/other/Dockerfile has no entry',
    );
  });
});

describe('imageRefs', () => {
  it('qualifies the name so podman and kind agree with Kubernetes', () => {
    expect(imageRefs(pingerV1, 'abc123def456')).toEqual([
      'docker.io/learnathon/pinger:v1',
      'docker.io/learnathon/pinger:v1-abc123def456',
    ]);
  });

  it('has only the stable tag outside git', () => {
    expect(imageRefs(pingerV1, undefined)).toEqual(['docker.io/learnathon/pinger:v1']);
  });
});
