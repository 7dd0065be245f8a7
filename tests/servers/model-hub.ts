/**
 * A local stand-in for the model hub and WebLLM's model-library host, on 127.0.0.1: it serves
 * `/<org>/<model id>/resolve/main/<file>` and `/<org>/libs/<file>` from memory (the layout
 * `npm run models:mirror` writes), like huggingface.co and
 * raw.githubusercontent.com do, with CORS so a page on another origin can fetch from it.
 * It records every request and whether the client hung up before the body was sent, can send
 * shards slowly so a test can watch progress and cancel mid-download, and can misbehave the ways
 * real hosts and networks do (`faults`): an error page with status 200, a 503 or a 429 with
 * Retry-After, a connection cut midway, a complete answer shorter than the file.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubRequest {
  path: string;
  method: string;
  /** The whole body was sent. */
  completed: boolean;
  /** The client closed the connection before the body was done (a cancelled download). */
  aborted: boolean;
  at: number;
}

/** One wrong answer to one request. */
export type HubFault =
  /** An answer of its own, e.g. `{status: 503}`, `{status: 429, headers: {'retry-after': '2'}}`, an HTML page with 200. */
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Promises the whole file (Content-Length), sends this many bytes, then drops the connection. */
  | { cutAfterBytes: number }
  /** A complete, well-formed answer with only the first bytes of the file (a stale or broken copy). */
  | { shortBody: number };

export interface ModelHubOptions {
  /** path (e.g. `mlc-ai/Qwen3-0.6B-q4f32_1-MLC/resolve/main/tensor-cache.json`) → body. */
  files: Record<string, string | Uint8Array>;
  /** Bytes per second for files larger than 64 kB; unlimited when absent. */
  throttleBytesPerSecond?: number;
  /** path → wrong answers, one per request in order; later requests get the file. */
  faults?: Record<string, HubFault[]>;
}

/** An error page as static hosts send one for a missing file: HTML, status 200. */
export const HTML_PAGE_200: HubFault = {
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<!DOCTYPE html><html><head><title>Sift</title></head><body>Not here</body></html>',
};

/**
 * A valid WebAssembly module that is not a model library: it imports `sift.missing`, which no
 * runtime provides, so instantiating it fails (as a library built for another WebLLM does).
 */
export const FOREIGN_WASM_MODULE = Uint8Array.of(
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
  ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // type section: () -> ()
  ...[0x02, 0x10, 0x01, 0x04, 0x73, 0x69, 0x66, 0x74], // import section: 1 import, module "sift"
  ...[0x07, 0x6d, 0x69, 0x73, 0x73, 0x69, 0x6e, 0x67, 0x00, 0x00], // name "missing", a function of type 0
);

export interface ModelHub {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  requests: HubRequest[];
  close(): Promise<void>;
}

/** A fake model folder: files that look like a WebLLM model but are not one (no real weights). */
export function fakeModelFiles(
  org: string,
  modelId: string,
  options: { shards: number; shardBytes: number; libName: string },
): Record<string, string | Uint8Array> {
  const base = `${org}/${modelId}/resolve/main/`;
  const records = Array.from({ length: options.shards }, (_, index) => ({
    dataPath: `params_shard_${index}.bin`,
    format: 'raw-shard',
    nbytes: options.shardBytes,
    records: [],
  }));
  const files: Record<string, string | Uint8Array> = {
    [`${base}mlc-chat-config.json`]: JSON.stringify({
      model_type: 'qwen3',
      context_window_size: 4096,
      tokenizer_files: ['tokenizer.json', 'vocab.json', 'merges.txt', 'tokenizer_config.json'],
    }),
    [`${base}tensor-cache.json`]: JSON.stringify({ metadata: { ParamSize: options.shards }, records }),
    [`${base}tokenizer.json`]: JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: {} } }),
    [`${base}vocab.json`]: '{}',
    [`${base}merges.txt`]: '#version: 0.2\n',
    [`${base}tokenizer_config.json`]: '{}',
    // WebAssembly, but not a model library: it passes Sift's header check, and WebLLM then fails
    // to instantiate it, as it would a library built for another version.
    [`${org}/libs/${options.libName}`]: FOREIGN_WASM_MODULE,
  };
  for (let index = 0; index < options.shards; index += 1) {
    // Deterministic bytes, different per shard, so a mirror that mixes files up is caught.
    files[`${base}params_shard_${index}.bin`] = Uint8Array.from(
      { length: options.shardBytes },
      (_, i) => (i + index) % 251,
    );
  }
  return files;
}

export async function startModelHub(options: ModelHubOptions): Promise<ModelHub> {
  const requests: HubRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname).replace(/^\/+/, '');
    const record: HubRequest = {
      path,
      method: request.method ?? 'GET',
      completed: false,
      aborted: false,
      at: Date.now(),
    };
    requests.push(record);
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', '*');
    // A page on another origin can read Retry-After only when the host exposes it.
    response.setHeader('access-control-expose-headers', 'retry-after');
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      record.completed = true;
      return;
    }
    const fault = options.faults?.[path]?.shift();
    if (fault && 'status' in fault) {
      response.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers }).end(fault.body ?? '');
      record.completed = true;
      return;
    }
    const whole = options.files[path];
    if (whole === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      record.completed = true;
      return;
    }
    const file = typeof whole === 'string' ? new TextEncoder().encode(whole) : whole;
    const bytes = fault && 'shortBody' in fault ? file.subarray(0, fault.shortBody) : file;
    response.writeHead(200, {
      'content-length': String(bytes.byteLength),
      'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    });
    response.on('close', () => {
      if (!record.completed) record.aborted = true;
    });
    if (fault && 'cutAfterBytes' in fault) {
      response.write(bytes.subarray(0, fault.cutAfterBytes), () => response.destroy());
      return;
    }
    const rate = options.throttleBytesPerSecond;
    if (!rate || bytes.byteLength <= 64 * 1024) {
      response.end(bytes, () => (record.completed = true));
      return;
    }
    const tickMs = 50;
    const perTick = Math.max(1, Math.floor((rate * tickMs) / 1000));
    let offset = 0;
    const timer = setInterval(() => {
      if (response.destroyed) {
        clearInterval(timer);
        return;
      }
      const next = Math.min(bytes.byteLength, offset + perTick);
      const chunk = bytes.subarray(offset, next);
      offset = next;
      if (offset >= bytes.byteLength) {
        clearInterval(timer);
        response.end(chunk, () => (record.completed = true));
      } else {
        response.write(chunk);
      }
    }, tickMs);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
