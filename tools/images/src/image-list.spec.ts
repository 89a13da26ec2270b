import path from 'node:path';
import { imageRefs, imagesForProject, ImageListError, loadImageList, parseImageList } from './image-list';
import { pingerImage } from '../test/pinger-image';

const workspaceRoot = path.resolve(__dirname, '../../..');

const pingerV1 = pingerImage('v1');

describe('the committed image list', () => {
  const images = loadImageList(workspaceRoot);

  it('names the images the manifests use, pinger twice', () => {
    expect(images.map((image) => `${image.repository}:${image.tag}`).sort()).toEqual([
      'learnathon/details:dev',
      'learnathon/envoy-sidecar:dev',
      'learnathon/frontend:dev',
      'learnathon/loadgen:dev',
      'learnathon/pinger:v1',
      'learnathon/pinger:v2',
    ]);
  });

  it('builds pinger v1 and v2 from one project, differing only in PINGER_VERSION', () => {
    const pingers = imagesForProject(images, 'pinger');
    expect(pingers.map((image) => image.buildArgs['PINGER_VERSION'])).toEqual(['v1', 'v2']);
  });

  it('builds every Node project from the one shared Dockerfile, the CLI at its stage without a port', () => {
    for (const image of images.filter((candidate) => candidate.project !== 'envoy-sidecar')) {
      expect(image.dockerfile).toBe('tools/images/node-service.Dockerfile');
      expect(image.target).toBe(image.port === null ? 'cli' : undefined);
    }
  });

  it('builds the Envoy sidecar from its own Dockerfile: Envoy comes from another image (ENVOY_IMAGE)', () => {
    const [sidecar] = imagesForProject(images, 'envoy-sidecar');
    expect(sidecar).toMatchObject({ dockerfile: 'apps/envoy-sidecar/Dockerfile', port: 9903 });
    expect(sidecar?.target).toBeUndefined();
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

  it('keeps a build stage, and names the field of a bad one', () => {
    expect(parseImageList({ images: [{ ...pingerV1, target: 'cli' }] })[0]?.target).toBe('cli');
    expect(parseImageList({ images: [pingerV1] })[0]).not.toHaveProperty('target');
    expect(() => parseImageList({ images: [{ ...pingerV1, target: 'No Stage' }] })).toThrow(
      'images[0].target is invalid',
    );
  });

  it('requires the project folder and a Dockerfile inside the workspace', () => {
    const { root: _root, ...withoutRoot } = pingerV1;
    expect(() => parseImageList({ images: [withoutRoot] })).toThrow('images[0].root is invalid');
    expect(() => parseImageList({ images: [{ ...pingerV1, root: '../elsewhere' }] })).toThrow(
      'images[0].root is invalid',
    );
    expect(() => parseImageList({ images: [{ ...pingerV1, dockerfile: '/etc/Dockerfile' }] })).toThrow(
      'images[0].dockerfile is invalid',
    );
  });

  it('rejects a port that is not a TCP port', () => {
    expect(() => parseImageList({ images: [{ ...pingerV1, port: 70_000 }] })).toThrow(
      'port must be a TCP port or null',
    );
  });
});

describe('imagesForProject', () => {
  it('says which project has no entry', () => {
    expect(() => imagesForProject([pingerV1], 'other')).toThrow('project other has no entry');
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
