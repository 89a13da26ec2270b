import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useTempDir } from '@learnathon/testing';
import { StateFile } from './state-file';

describe('StateFile', () => {
  const dir = useTempDir('pinger-state');

  it('has nothing to load before the first save', async () => {
    expect(await new StateFile(path.join(dir(), 'urls.json')).load()).toBeUndefined();
  });

  it('round-trips the list, creating missing directories, leaving no temporary files', async () => {
    const file = new StateFile(path.join(dir(), 'nested', 'urls.json'));
    await file.save(['http://a/', 'http://b/']);
    expect(await file.load()).toEqual(['http://a/', 'http://b/']);
    expect(await readdir(path.join(dir(), 'nested'))).toEqual(['urls.json']);
  });

  it('keeps the last of concurrent saves', async () => {
    const file = new StateFile(path.join(dir(), 'urls.json'));
    await Promise.all([
      file.save(['http://1/']),
      file.save(['http://1/', 'http://2/']),
      file.save(['http://1/', 'http://2/', 'http://3/']),
    ]);
    expect(await file.load()).toEqual(['http://1/', 'http://2/', 'http://3/']);
  });

  it('names the file when it is not JSON, and leaves it untouched', async () => {
    const filePath = path.join(dir(), 'urls.json');
    await writeFile(filePath, '{"urls": [');
    await expect(new StateFile(filePath).load()).rejects.toThrow(`${filePath} is not valid JSON`);
    expect(await readFile(filePath, 'utf8')).toBe('{"urls": [');
  });

  it('refuses JSON of the wrong shape', async () => {
    const filePath = path.join(dir(), 'urls.json');
    await writeFile(filePath, '{"urls": [1, 2]}');
    await expect(new StateFile(filePath).load()).rejects.toThrow('must hold {"urls": [string, ...]}');
  });
});
