/**
 * Model loading progress in phases a person understands. Sift's downloader reports bytes; WebLLM
 * reports only `{progress, timeElapsed, text}`, so its texts (0.2.86) are parsed here:
 *   "Fetching param cache[3/24]: 120MB fetched. 12% completed, 4 secs elapsed. …"
 *   "Loading model from cache[3/24]: 120MB loaded. 12% completed, 4 secs elapsed."
 *   "Loading GPU shader modules[10/80]: 12% completed, 4 secs elapsed."
 *   "Finish loading on WebGPU - <gpu>"
 */

/** `starting` covers the worker's GPU probe; `warmup` the short call that prepares the grammar. */
export type LoadPhase = 'download' | 'cache' | 'shaders' | 'warmup' | 'ready' | 'starting';

export interface LoadProgress {
  phase: LoadPhase;
  /** 0..1 within the phase. */
  fraction: number;
  /** Bytes so far and in total, where known (downloads and cache loads). */
  loadedBytes?: number;
  totalBytes?: number;
  /** "3/24": files, shards or shader modules done. */
  step?: { done: number; of: number };
  text: string;
}

const MB = 2 ** 20;
const STEP = /\[(\d+)\/(\d+)\]/;
const AMOUNT = /(\d+(?:\.\d+)?)\s*MB (?:fetched|loaded)/;

export function parseWebLLMProgress(report: { progress: number; text: string }): LoadProgress {
  const { text } = report;
  const fraction = Number.isFinite(report.progress) ? Math.min(1, Math.max(0, report.progress)) : 0;
  const stepMatch = STEP.exec(text);
  const step = stepMatch ? { done: Number(stepMatch[1]), of: Number(stepMatch[2]) } : undefined;
  const amount = AMOUNT.exec(text);
  const loadedBytes = amount ? Number(amount[1]) * MB : undefined;
  const totalBytes = loadedBytes !== undefined && fraction > 0 ? loadedBytes / fraction : undefined;
  const bytes = loadedBytes === undefined ? {} : { loadedBytes, ...(totalBytes ? { totalBytes } : {}) };
  let phase: LoadPhase = 'starting';
  if (text.startsWith('Fetching param cache') || text.startsWith('Start to fetch params')) phase = 'download';
  else if (text.startsWith('Loading model from cache')) phase = 'cache';
  else if (text.startsWith('Loading GPU shader modules')) phase = 'shaders';
  else if (text.startsWith('Finish loading')) phase = 'ready';
  return { phase, fraction, ...bytes, ...(step ? { step } : {}), text };
}

/**
 * Download speed and time left from byte counts over time: a moving window, so a stall shows
 * as a falling speed rather than an average that hides it.
 */
export class TransferRate {
  #samples: { at: number; bytes: number }[] = [];
  constructor(private readonly windowMs = 5000) {}

  add(at: number, bytes: number): void {
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > this.windowMs) this.#samples.shift();
  }

  /** Bytes per second over the window, or null before there are two samples a moment apart. */
  bytesPerSecond(): number | null {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 250) return null;
    return Math.max(0, (last.bytes - first.bytes) / ((last.at - first.at) / 1000));
  }

  secondsLeft(totalBytes: number): number | null {
    const rate = this.bytesPerSecond();
    const last = this.#samples.at(-1);
    if (!rate || !last) return null;
    return Math.max(0, (totalBytes - last.bytes) / rate);
  }

  reset(): void {
    this.#samples = [];
  }
}

/** Sizes read the same here as everywhere else in Sift. */
export { formatBytes } from '../text/byte-size.ts';

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
