/**
 * The batch's ports in the app: the tools worker (which reads the files as streams, off the main thread) and the
 * batch store. A call's cancel travels as a transferred port, so a cancel stops the batch without terminating the
 * worker and its warm CRM index.
 */
import { proxy, transfer } from 'comlink';
import { cancelPortFor } from '../../core/cancel-port.ts';
import type { BatchFile } from '../../core/batch/types.ts';
import type { MeasuredSpeed } from '../../core/batch/model-budget.ts';
import { listBenchRuns, loadBenchRun } from '../../storage/bench-history.ts';
import {
  appendToBatch,
  appendVerdicts,
  lastCompleteTableKeys,
  latestBatch,
  loadBatch,
  saveBatchHead,
  saveBatchTally,
  startBatch,
} from '../../storage/batch-runs.ts';
import { enginesForRun, modelForRuns, noModelReason } from '../job/engines.svelte.ts';
import { toolsWorker } from '../workers/instances.ts';
import type { BatchModelPort, BatchStoragePort, BatchWorkerPort } from './batch-state.svelte.ts';

async function withCancelPort<T>(signal: AbortSignal, call: (port: MessagePort) => Promise<T>): Promise<T> {
  const cancel = cancelPortFor(signal);
  try {
    return await call(transfer(cancel.port, [cancel.port]));
  } finally {
    cancel.release();
  }
}

/** Only what the worker reads crosses: the `File` itself is passed by reference, never its bytes. */
const plain = (files: BatchFile[]): BatchFile[] =>
  files.map((file) => ({ name: file.name, path: file.path, lastModified: file.lastModified, blob: file.blob }));

export const batchWorker: BatchWorkerPort = {
  warm: () => toolsWorker.run((tools) => tools.ping()),
  prescan: (files, onProgress, signal) =>
    toolsWorker.run((tools) =>
      withCancelPort(signal, (port) => tools.prescanBatch(plain(files), {}, proxy(onProgress), port)),
    ),
  run: (files, options, onEvents, signal) =>
    toolsWorker.run((tools) =>
      withCancelPort(signal, (port) => tools.runBatch(plain(files), options, proxy(onEvents), port)),
    ),
};

/** The engines a paste's run gets: the on-device model, Chrome's built-in one, the fallback only if switched on. */
export const batchModel: BatchModelPort = {
  describe() {
    const model = modelForRuns();
    if (model) return { model };
    return { reason: noModelReason() ?? 'No model is loaded: pick and load one in Settings.' };
  },
  engines: (signal) => enginesForRun(signal, () => undefined),
};

export const batchStorage: BatchStoragePort = {
  startBatch,
  appendToBatch,
  appendVerdicts,
  saveBatchHead,
  saveBatchTally,
  latestBatch,
  loadBatch,
  lastCompleteTableKeys,
  measuredSpeed,
};

/** The newest benchmark that measured a decode speed on this device (Settings → Benchmark). */
async function measuredSpeed(): Promise<MeasuredSpeed | null> {
  for (const entry of (await listBenchRuns()).slice(0, 5)) {
    const run = (await loadBenchRun(entry.id)).value;
    if (run?.overall.decodeTokensPerS) {
      return {
        model: run.engine.model,
        prefillTokensPerS: run.overall.prefillTokensPerS,
        decodeTokensPerS: run.overall.decodeTokensPerS,
      };
    }
  }
  return null;
}

/** Files from a drop: a dropped folder is walked, each file keeps its path inside it. */
export async function filesFromDrop(
  items: DataTransferItemList | null,
  fallback: FileList | null,
): Promise<BatchFile[]> {
  const entries = items
    ? [...items]
        .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null))
        .filter((entry) => entry !== null)
    : [];
  if (entries.length === 0) return filesFromList(fallback);
  const out: BatchFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

export function filesFromList(list: FileList | null): BatchFile[] {
  return [...(list ?? [])].map((file) => ({
    name: file.name,
    path: file.webkitRelativePath || undefined,
    lastModified: file.lastModified,
    blob: file,
  }));
}

async function walk(entry: FileSystemEntry, out: BatchFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    const path = entry.fullPath.replace(/^\//, '');
    out.push({
      name: file.name,
      path: path === file.name ? undefined : path,
      lastModified: file.lastModified,
      blob: file,
    });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries gives a folder's entries a hundred or so at a time, until an empty answer.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}
