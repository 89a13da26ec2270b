import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Persists the user's URL list so it survives a restart. Writes go to a temporary file in the same
 * directory and are renamed over the old one: a crash mid-write leaves the previous list intact.
 */
export class StateFile {
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly filePath: string) {}

  /**
   * The saved list; undefined if there is no file yet. Throws with the file name if the file exists
   * but is not a JSON object `{ "urls": [string, ...] }`.
   */
  async load(): Promise<string[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${this.filePath} is not valid JSON`);
    }
    const urls = (parsed as { urls?: unknown })?.urls;
    if (!Array.isArray(urls) || !urls.every((url): url is string => typeof url === 'string')) {
      throw new Error(`${this.filePath} must hold {"urls": [string, ...]}`);
    }
    return urls;
  }

  /** Saves the list; concurrent saves are serialised so the last one wins. */
  save(urls: readonly string[]): Promise<void> {
    const write = async () => {
      await mkdir(path.dirname(this.filePath), { recursive: true });
      const tmp = `${this.filePath}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify({ urls }, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, this.filePath);
    };
    this.writing = this.writing.then(write, write);
    return this.writing;
  }
}
