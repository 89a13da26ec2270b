import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface ConfigWatcherOptions {
  /** The config file, inside the mounted ConfigMap directory. */
  file: string;
  /** A poll next to the watch: some volume types deliver no events, and a watch can die. */
  pollIntervalMs: number;
  /** Events come in bursts during a swap; one read after the burst is enough. */
  debounceMs?: number;
  /** Called with the new content's hash each time it differs from the last one seen. */
  onChange: (hash: string) => void;
  onError?: (error: Error) => void;
}

/**
 * Notices a new config the way the kubelet delivers it: it writes the new files into a fresh
 * timestamped directory and atomically renames the `..data` symlink to point at it (the file is a
 * symlink through `..data`), so the file itself is never written in place and a watch on the file
 * would stay on the old inode. The directory is watched instead, and every event (or poll) re-reads
 * the file through the symlinks and compares content hashes: only a real content change counts.
 */
export class ConfigWatcher {
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private lastHash: string | undefined;
  private checking = false;

  constructor(private readonly options: ConfigWatcherOptions) {}

  /** Starts watching; `initialHash` is the content already in force. */
  start(initialHash: string): void {
    this.lastHash = initialHash;
    const directory = path.dirname(this.options.file);
    try {
      this.watcher = watch(directory, () => this.schedule());
      this.watcher.on('error', (error) => {
        this.options.onError?.(error);
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (error) {
      this.options.onError?.(error as Error);
    }
    this.poll = setInterval(() => void this.check(), this.options.pollIntervalMs);
    this.poll.unref();
  }

  stop(): void {
    this.watcher?.close();
    clearInterval(this.poll);
    clearTimeout(this.debounce);
  }

  private schedule(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.check(), this.options.debounceMs ?? 100);
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const hash = sha256(await readFile(this.options.file));
      if (hash === this.lastHash) return;
      this.lastHash = hash;
      this.options.onChange(hash);
    } catch (error) {
      // A file replaced by hand (not the kubelet's swap) can be missing for a moment: read it next time.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.onError?.(error as Error);
    } finally {
      this.checking = false;
    }
  }
}
