import path from 'node:path';
import { requireBinary } from './binaries';

describe('requireBinary', () => {
  it('returns the path of a program that exists', () => {
    expect(requireBinary(process.execPath, 'nodejs')).toBe(process.execPath);
  });

  it('names the missing file and the Debian package that installs it', () => {
    const missing = path.join(__dirname, 'no-such-program');
    expect(() => requireBinary(missing, 'prometheus')).toThrow(
      `${missing} is missing: install it with \`sudo apt-get install -y prometheus\``,
    );
  });
});
