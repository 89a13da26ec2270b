import { readFile, writeFile } from 'node:fs/promises';
import { KubeletVolume } from '../test/kubelet-volume';
import { ConfigWatcher, sha256 } from './config-watcher';

function nextChange(): { onChange: (hash: string) => void; changed: Promise<string>; calls: string[] } {
  const calls: string[] = [];
  let resolve: (hash: string) => void = () => undefined;
  const changed = new Promise<string>((done) => (resolve = done));
  return {
    calls,
    changed,
    onChange: (hash) => {
      calls.push(hash);
      resolve(hash);
    },
  };
}

describe('ConfigWatcher', () => {
  let volume: KubeletVolume;
  let watcher: ConfigWatcher | undefined;

  beforeEach(async () => {
    volume = await KubeletVolume.create({ 'envoy.json': '{"v":1}' });
  });

  afterEach(async () => {
    watcher?.stop();
    await volume.remove();
  });

  it('sees a kubelet-style ..data symlink swap through the directory watch', async () => {
    const change = nextChange();
    // A poll far beyond the test's timeout: only the directory watch can report this change.
    watcher = new ConfigWatcher({
      file: volume.file('envoy.json'),
      pollIntervalMs: 600_000,
      onChange: change.onChange,
    });
    watcher.start(sha256(Buffer.from('{"v":1}')));
    await volume.update({ 'envoy.json': '{"v":2}' });
    expect(await change.changed).toBe(sha256(Buffer.from('{"v":2}')));
    expect(await readFile(volume.file('envoy.json'), 'utf8')).toBe('{"v":2}');
  });

  it('finds a change by polling when no event arrives', async () => {
    const change = nextChange();
    // Events are debounced past the test's timeout: only the poll can report this change.
    watcher = new ConfigWatcher({
      file: volume.file('envoy.json'),
      pollIntervalMs: 50,
      debounceMs: 600_000,
      onChange: change.onChange,
    });
    watcher.start(sha256(Buffer.from('{"v":1}')));
    await volume.update({ 'envoy.json': '{"v":3}' });
    expect(await change.changed).toBe(sha256(Buffer.from('{"v":3}')));
  });

  it('ignores events that leave the content as it was', async () => {
    const change = nextChange();
    watcher = new ConfigWatcher({
      file: volume.file('envoy.json'),
      pollIntervalMs: 600_000,
      debounceMs: 10,
      onChange: change.onChange,
    });
    watcher.start(sha256(Buffer.from('{"v":1}')));
    await volume.update({ 'envoy.json': '{"v":1}' });
    await writeFile(volume.file('unrelated'), 'x');
    await volume.update({ 'envoy.json': '{"v":4}' });
    // Only the last update changed the bytes: it is the one and only call.
    expect(await change.changed).toBe(sha256(Buffer.from('{"v":4}')));
    expect(change.calls).toHaveLength(1);
  });
});
