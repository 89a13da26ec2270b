import { parseProcStatCpuMs, parseProcStatus, ProcStatusError } from './proc-status';

/** Trimmed from a real `/proc/<pid>/status` of a Node process on Linux. */
const STATUS = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
VmPeak:\t 1195560 kB
VmSize:\t 1130024 kB
VmHWM:\t   61234 kB
VmRSS:\t   58000 kB
RssAnon:\t   30000 kB
Threads:\t11
`;

describe('parseProcStatus', () => {
  it('reads VmRSS and VmHWM in bytes', () => {
    expect(parseProcStatus(STATUS)).toEqual({ rssBytes: 58000 * 1024, hwmBytes: 61234 * 1024 });
  });

  it('does not mistake RssAnon or VmPeak for the fields it wants', () => {
    const reordered = 'RssAnon:\t 1 kB\nVmPeak:\t 2 kB\nVmRSS:\t 3 kB\nVmHWM:\t 4 kB\n';
    expect(parseProcStatus(reordered)).toEqual({ rssBytes: 3 * 1024, hwmBytes: 4 * 1024 });
  });

  it('fails clearly on a kernel thread or exited process (no memory lines)', () => {
    expect(() => parseProcStatus('Name:\tkthreadd\nState:\tS (sleeping)\n')).toThrow(
      new ProcStatusError("/proc status has no 'VmRSS: <n> kB' line"),
    );
  });

  it('refuses a unit it does not know rather than guessing', () => {
    expect(() => parseProcStatus('VmRSS:\t 3 MB\nVmHWM:\t 4 kB\n')).toThrow(ProcStatusError);
  });
});

describe('parseProcStatCpuMs', () => {
  /** A real `/proc/<pid>/stat` line shape: utime 250 and stime 50 ticks. */
  const STAT =
    '4242 (node) S 1 4242 4242 0 -1 4194560 5000 0 0 0 250 50 0 0 20 0 11 0 123456 1130024960 14500 18446744073709551615';

  it('adds user and system time, in milliseconds', () => {
    expect(parseProcStatCpuMs(STAT)).toBe(3000);
  });

  it('is not fooled by spaces and brackets in the command name', () => {
    expect(parseProcStatCpuMs(STAT.replace('(node)', '(my (odd) name)'))).toBe(3000);
  });

  it('fails clearly on a truncated line', () => {
    expect(() => parseProcStatCpuMs('4242 (node) S 1 4242')).toThrow(
      new ProcStatusError('/proc stat line has no utime and stime fields'),
    );
  });
});
