import { kindEnv } from './kind-load';

describe('kindEnv', () => {
  it('uses the podman provider for podman images', () => {
    expect(kindEnv('podman', {})['KIND_EXPERIMENTAL_PROVIDER']).toBe('podman');
  });

  it('keeps docker and an explicit provider as they are', () => {
    expect(kindEnv('docker', {})['KIND_EXPERIMENTAL_PROVIDER']).toBeUndefined();
    expect(kindEnv('podman', { KIND_EXPERIMENTAL_PROVIDER: 'docker' })['KIND_EXPERIMENTAL_PROVIDER']).toBe(
      'docker',
    );
  });
});
