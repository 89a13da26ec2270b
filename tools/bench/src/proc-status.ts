import { readFile } from 'node:fs/promises';

export interface ProcMemory {
  /** Resident set size now (VmRSS). */
  rssBytes: number;
  /** Peak resident set size over the process's life (VmHWM). */
  hwmBytes: number;
}

/** A `/proc/<pid>/status` that lacks the memory lines or has unexpected units. */
export class ProcStatusError extends Error {}

function kilobytesField(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB\\s*$`, 'm').exec(text);
  if (!match) throw new ProcStatusError(`/proc status has no '${field}: <n> kB' line`);
  return Number(match[1]) * 1024;
}

/** Reads VmRSS and VmHWM from the text of `/proc/<pid>/status` (Linux reports both in kB). */
export function parseProcStatus(text: string): ProcMemory {
  return { rssBytes: kilobytesField(text, 'VmRSS'), hwmBytes: kilobytesField(text, 'VmHWM') };
}

/** Memory of a live process; undefined once it has exited (its status file is gone or emptied). */
export async function readProcMemory(pid: number): Promise<ProcMemory | undefined> {
  try {
    return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Linux reports CPU time in USER_HZ ticks, 100 per second on every mainstream architecture. */
const USER_HZ = 100;

/**
 * CPU time (user + system) from the text of `/proc/<pid>/stat`, in milliseconds. The command name
 * in brackets may itself contain spaces and brackets, so fields are counted from the last `)`.
 */
export function parseProcStatCpuMs(text: string): number {
  const fields = text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  // After the name: state is field 3, utime field 14 and stime field 15 of the whole line.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (text.lastIndexOf(')') === -1 || !Number.isInteger(utime) || !Number.isInteger(stime)) {
    throw new ProcStatusError('/proc stat line has no utime and stime fields');
  }
  return ((utime + stime) * 1000) / USER_HZ;
}

/** CPU time a live process has used so far; undefined once it has exited. */
export async function readProcCpuMs(pid: number): Promise<number | undefined> {
  try {
    return parseProcStatCpuMs(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
