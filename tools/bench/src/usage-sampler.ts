import type { ProcessUsage } from './types';
import { readProcCpuMs, readProcMemory } from './proc-status';

export interface SampledProcess {
  name: string;
  pid: number;
}

const SAMPLE_INTERVAL_MS = 100;

/** Samples VmRSS of server processes every ~100 ms and keeps the peak of each; also meters their CPU time. */
export class UsageSampler {
  private readonly peaks = new Map<number, number>();
  private readonly cpuAtStart = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  private constructor(private readonly processes: readonly SampledProcess[]) {
    this.timer = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
  }

  static async start(processes: readonly SampledProcess[]): Promise<UsageSampler> {
    const sampler = new UsageSampler(processes);
    for (const { pid } of processes) sampler.cpuAtStart.set(pid, (await readProcCpuMs(pid)) ?? Number.NaN);
    await sampler.sample();
    return sampler;
  }

  private async sample(): Promise<void> {
    for (const { pid } of this.processes) {
      const memory = await readProcMemory(pid);
      if (memory) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, memory.rssBytes));
    }
  }

  /** Stops sampling and reports each process's sampled peak, its kernel high-water mark and the CPU time it used meanwhile. */
  async stop(): Promise<ProcessUsage[]> {
    clearInterval(this.timer);
    await this.sample();
    return Promise.all(
      this.processes.map(async ({ name, pid }) => ({
        process: name,
        peakRssBytes: this.peaks.get(pid) ?? 0,
        hwmBytes: (await readProcMemory(pid))?.hwmBytes ?? 0,
        cpuMs: ((await readProcCpuMs(pid)) ?? Number.NaN) - (this.cpuAtStart.get(pid) ?? Number.NaN),
      })),
    );
  }
}
