import { readFile, writeFile } from 'node:fs/promises';
import { KubeletVolume } from '../test/kubelet-volume';
import { ConfigWatcher, sha256, type ConfigWatcherOptions } from './config-watcher';

const hashOf = (text: string): string => sha256(Buffer.from(text));

describe('ConfigWatcher', () => {
  let volume: KubeletVolume;
  let watcher: ConfigWatcher | undefined;

  /** Watches envoy.json (in force: `{"v":1}`); `changed` settles on the first reported change. */
  function startWatcher(timing: Pick<ConfigWatcherOptions, 'pollIntervalMs' | 'debounceMs'>) {
    const calls: string[] = [];
    let report: (hash: string) => void = () => undefined;
    const changed = new Promise<string>((resolve) => (report = resolve));
    watcher = new ConfigWatcher({
      ...timing,
      file: volume.file('envoy.json'),
      onChange: (hash) => {
        calls.push(hash);
        report(hash);
      },
    });
    watcher.start(hashOf('{"v":1}'));
    return { calls, changed };
  }

  beforeEach(async () => {
    volume = await KubeletVolume.create({ 'envoy.json': '{"v":1}' });
  });

  afterEach(async () => {
    watcher?.stop();
    await volume.remove();
  });

  it('sees a kubelet-style ..data symlink swap through the directory watch', async () => {
    // A poll far beyond the test's timeout: only the directory watch can report this change.
    const { changed } = startWatcher({ pollIntervalMs: 600_000 });
    await volume.update({ 'envoy.json': '{"v":2}' });
    expect(await changed).toBe(hashOf('{"v":2}'));
    expect(await readFile(volume.file('envoy.json'), 'utf8')).toBe('{"v":2}');
  });

  it('finds a change by polling when no event arrives', async () => {
    // Events are debounced past the test's timeout: only the poll can report this change.
    const { changed } = startWatcher({ pollIntervalMs: 50, debounceMs: 600_000 });
    await volume.update({ 'envoy.json': '{"v":3}' });
    expect(await changed).toBe(hashOf('{"v":3}'));
  });

  it('ignores events that leave the content as it was', async () => {
    const { calls, changed } = startWatcher({ pollIntervalMs: 600_000, debounceMs: 10 });
    await volume.update({ 'envoy.json': '{"v":1}' });
    await writeFile(volume.file('unrelated'), 'x');
    await volume.update({ 'envoy.json': '{"v":4}' });
    // Only the last update changed the bytes: it is the one and only call.
    expect(await changed).toBe(hashOf('{"v":4}'));
    expect(calls).toHaveLength(1);
  });
});
