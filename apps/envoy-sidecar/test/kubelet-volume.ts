import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * A ConfigMap volume laid out and updated the way the kubelet's atomic writer does it:
 * `DIR/..<timestamp>/envoy.json` holds the data, `DIR/..data` is a symlink to the current
 * timestamped directory, and `DIR/envoy.json` is a symlink to `..data/envoy.json`. An update
 * writes a new timestamped directory, points a temporary symlink at it, renames that over `..data`
 * (atomic) and removes the old directory. The file is never written in place.
 */
export class KubeletVolume {
  private generation = 0;
  private current: string | undefined;

  private constructor(readonly dir: string) {}

  static async create(files: Record<string, string>): Promise<KubeletVolume> {
    const volume = new KubeletVolume(await mkdtemp(path.join(os.tmpdir(), 'kubelet-volume-')));
    await volume.update(files);
    for (const name of Object.keys(files))
      await symlink(path.join('..data', name), path.join(volume.dir, name));
    return volume;
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  async update(files: Record<string, string>): Promise<void> {
    this.generation += 1;
    const next = `..2026_12_01_00_00_${String(this.generation).padStart(2, '0')}.${process.pid}`;
    await mkdir(path.join(this.dir, next));
    for (const [name, content] of Object.entries(files))
      await writeFile(path.join(this.dir, next, name), content);
    await symlink(next, path.join(this.dir, '..data_tmp'));
    await rename(path.join(this.dir, '..data_tmp'), path.join(this.dir, '..data'));
    if (this.current) await rm(path.join(this.dir, this.current), { recursive: true });
    this.current = next;
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}
