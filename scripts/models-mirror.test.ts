import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTML_PAGE_200, fakeModelFiles, startModelHub, type ModelHub } from '../tests/servers/model-hub.ts';
import { mirrorModel } from './models-mirror.ts';

const MODEL = 'Qwen3-0.6B-q4f32_1-MLC';
const LIB = 'Qwen3-0.6B-q4f32_1_cs1k-webgpu.wasm';

describe('models:mirror against a local server laid out like the model hub (127.0.0.1)', () => {
  let hub: ModelHub;
  let dir: string;
  const files = fakeModelFiles('mlc-ai', MODEL, { shards: 3, shardBytes: 100_000, libName: LIB });

  beforeAll(async () => {
    hub = await startModelHub({ files });
    dir = await mkdtemp(join(tmpdir(), 'sift-mirror-'));
  });
  afterAll(async () => {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  });

  const options = () => ({ modelId: MODEL, dir, hub: `${hub.url}mlc-ai/`, libHost: `${hub.url}mlc-ai/libs/` });

  it('writes every file WebLLM reads into <id>/resolve/main/ and the library into libs/', async () => {
    const summary = await mirrorModel(options());
    const folder = join(dir, MODEL, 'resolve', 'main');
    expect((await readdir(folder)).sort()).toEqual(
      [
        'merges.txt',
        'mlc-chat-config.json',
        'ndarray-cache.json',
        'params_shard_0.bin',
        'params_shard_1.bin',
        'params_shard_2.bin',
        'tensor-cache.json',
        'tokenizer.json',
        'tokenizer_config.json',
        'vocab.json',
      ].sort(),
    );
    const shard = await readFile(join(folder, 'params_shard_1.bin'));
    expect(
      Buffer.compare(shard, Buffer.from(files[`mlc-ai/${MODEL}/resolve/main/params_shard_1.bin`] as Uint8Array)),
    ).toBe(0);
    expect((await stat(join(dir, 'libs', LIB))).size).toBeGreaterThan(0);
    expect(summary.downloadedBytes).toBeGreaterThanOrEqual(300_000);
    expect(await readdir(folder)).not.toContain('params_shard_0.bin.partial');
  });

  it('resumes: a second run keeps complete files and replaces a truncated shard', async () => {
    const folder = join(dir, MODEL, 'resolve', 'main');
    await writeFile(join(folder, 'params_shard_2.bin'), 'truncated');
    const before = hub.requests.filter((request) => request.path.endsWith('.bin')).length;
    const summary = await mirrorModel(options());
    const shardRequests = hub.requests.filter((request) => request.path.endsWith('.bin')).slice(before);
    expect(shardRequests.map((request) => request.path)).toEqual([`mlc-ai/${MODEL}/resolve/main/params_shard_2.bin`]);
    expect(summary.keptBytes).toBeGreaterThanOrEqual(200_000);
    expect((await stat(join(folder, 'params_shard_2.bin'))).size).toBe(100_000);
  });

  it('names the missing file when the hub does not have the model', async () => {
    await expect(mirrorModel({ ...options(), modelId: 'Qwen3-4B-q4f32_1-MLC' })).rejects.toThrow(
      /HTTP 404 for .*Qwen3-4B-q4f32_1-MLC\/resolve\/main\/mlc-chat-config\.json/,
    );
  });

  it('asks for the library name when the model is not in the catalogue', async () => {
    await expect(mirrorModel({ ...options(), modelId: 'Some-Other-Model' })).rejects.toThrow(/--lib/);
  });

  it('refuses a folder whose weight listing is not a model’s', async () => {
    const broken = await startModelHub({
      files: { ...files, [`mlc-ai/${MODEL}/resolve/main/tensor-cache.json`]: '<html>login</html>' },
    });
    try {
      await expect(mirrorModel({ ...options(), hub: `${broken.url}mlc-ai/` })).rejects.toThrow(/not JSON/);
    } finally {
      await broken.close();
    }
  });

  it('refuses a library host that answers with an error page (HTML, status 200), and keeps no copy of it', async () => {
    const other = await mkdtemp(join(tmpdir(), 'sift-mirror-html-'));
    const host = await startModelHub({ files, faults: { [`mlc-ai/libs/${LIB}`]: [HTML_PAGE_200] } });
    try {
      await expect(
        mirrorModel({ ...options(), dir: other, hub: `${host.url}mlc-ai/`, libHost: `${host.url}mlc-ai/libs/` }),
      ).rejects.toThrow(/is not WebAssembly.*web page/);
      await expect(stat(join(other, 'libs', LIB))).rejects.toThrow();
    } finally {
      await host.close();
      await rm(other, { recursive: true, force: true });
    }
  });
});
