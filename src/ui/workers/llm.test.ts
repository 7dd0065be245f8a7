import type { ChatCompletionChunk } from '@mlc-ai/web-llm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildAppConfig, findModel } from '../../core/engines/catalogue.ts';
import { gpuReport } from '../../core/engines/gpu-report-factory.ts';
import type { WorkerGpuReport } from '../../core/engines/gpu-requirements.ts';
import { ModelLostError } from '../../core/engines/model-errors.ts';
import { LlmWorker, LlmWorkerError, NoModelLoadedError, type WatchdogTimes } from './llm.ts';
import { WorkerCrashedError } from './worker-owner.ts';

type Message = { kind: string; uuid: string; content: unknown };

/** WebLLM 0.2.86's text when a request reaches an engine whose model was unloaded (lib L476–481). */
const WEBLLM_NOT_LOADED =
  'ModelNotLoadedError: Model not loaded before trying to complete ChatCompletionRequest. Please ensure you have called MLCEngine.reload(model) to load the model before initiating APIs, or initialize your engine using CreateMLCEngine() with a valid model configuration.';

const GOOD_GPU = gpuReport({ features: ['shader-f16'], description: 'test GPU' });

/**
 * Stands in for the model worker, answering the way `WebWorkerMLCEngineHandler` (0.2.86) and Sift's
 * `sift:*` kinds do, and generating the way WebLLM's `asyncGenerate` does: one token per
 * `completionStreamNextChunk`, each taking `msPerToken`; the first pull takes the model's lock and
 * clears the interrupt flag (so a stop sent before that is dropped); an interrupt ends the stream
 * with `finish_reason: "abort"`. `gpu` decides how the GPU misbehaves.
 */
class FakeModelWorker extends EventTarget {
  received: Message[] = [];
  terminated = false;
  loaded = false;
  interruptSignal = false;
  /** Milliseconds another request keeps the model's lock before this one's first pull gets it. */
  lockHeldForMs = 0;
  msPerToken = 10;
  tokens = 20;
  gpu: 'fine' | 'hangs' | 'stalls-until-stopped' = 'fine';
  /** Tokens after which the GPU misbehaves. */
  misbehaveAfter = 2;
  probe: WorkerGpuReport = GOOD_GPU;
  #streams = new Map<string, { emitted: number; started: boolean; finished: boolean; usageSent: boolean }>();
  #stalled: (() => void) | undefined;

  postMessage(message: Message) {
    this.received.push(message);
    queueMicrotask(() => void this.#handle(message));
  }

  async #handle(message: Message): Promise<void> {
    const content = message.content as Record<string, unknown>;
    switch (message.kind) {
      case 'sift:probe':
        return this.reply(message, this.probe);
      case 'sift:download':
        return this.reply(message, { totalBytes: 10, cachedBytes: 0 });
      case 'setAppConfig':
        return;
      case 'reload':
        this.loaded = true;
        return this.reply(message, null);
      case 'interruptGenerate':
        this.interruptSignal = true;
        this.#stalled?.();
        return this.reply(message, null);
      case 'chatCompletionStreamInit':
        if (!this.loaded) return this.reply(message, WEBLLM_NOT_LOADED, 'throw');
        this.#streams.set(content.streamId as string, {
          emitted: 0,
          started: false,
          finished: false,
          usageSent: false,
        });
        return this.reply(message, null);
      case 'completionStreamNextChunk':
        return this.reply(message, await this.#next(content.streamId as string));
      case 'completionStreamReturn':
        this.#streams.delete(content.streamId as string);
        return this.reply(message, null);
      default:
        return this.reply(message, null);
    }
  }

  async #next(streamId: string): Promise<ChatCompletionChunk | undefined> {
    const stream = this.#streams.get(streamId)!;
    if (!stream.started) {
      stream.started = true;
      if (this.lockHeldForMs) await sleep(this.lockHeldForMs);
      // WebLLM: `this.interruptSignal = false` once the request holds the lock (L18578).
      this.interruptSignal = false;
    }
    if (stream.usageSent) return undefined;
    if (stream.finished) {
      stream.usageSent = true;
      return chunk(null, { prompt_tokens: 5, completion_tokens: stream.emitted });
    }
    if (stream.emitted >= this.misbehaveAfter && this.gpu === 'hangs') return new Promise(() => undefined);
    if (stream.emitted >= this.misbehaveAfter && this.gpu === 'stalls-until-stopped' && !this.interruptSignal) {
      await new Promise<void>((resolve) => (this.#stalled = resolve));
    }
    if (this.interruptSignal) {
      stream.finished = true;
      return chunk('abort');
    }
    await sleep(this.msPerToken);
    stream.emitted += 1;
    if (stream.emitted >= this.tokens) {
      stream.finished = true;
      return chunk('length', undefined, 't');
    }
    return chunk(null, undefined, 't');
  }

  reply(message: Message, content: unknown, kind: 'return' | 'throw' = 'return') {
    this.send({ kind, uuid: message.uuid, content });
  }
  send(data: unknown) {
    const event = new Event('message');
    Object.assign(event, { data });
    this.dispatchEvent(event);
  }
  /** What WebLLM does on device loss: unload the model, tell nobody (lib L18303–18308). */
  loseDeviceSilently() {
    this.loaded = false;
  }
  terminate() {
    this.terminated = true;
  }
  crash() {
    const event = new Event('error', { cancelable: true });
    Object.assign(event, { message: 'GPU process gone' });
    this.dispatchEvent(event);
  }
  kinds() {
    return this.received.map((message) => message.kind);
  }
  count(kind: string) {
    return this.received.filter((message) => message.kind === kind).length;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function chunk(
  finish: 'abort' | 'length' | 'stop' | null,
  usage?: { prompt_tokens: number; completion_tokens: number },
  content = '',
): ChatCompletionChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: usage ? [] : [{ index: 0, delta: { content, role: 'assistant' }, finish_reason: finish, logprobs: null }],
    ...(usage
      ? {
          usage: {
            ...usage,
            total_tokens: usage.prompt_tokens + usage.completion_tokens,
            extra: {
              e2e_latency_s: 1,
              prefill_tokens_per_s: 100,
              decode_tokens_per_s: 50,
              time_to_first_token_s: 0.05,
              time_per_output_token_s: 0.01,
            },
          },
        }
      : {}),
  };
}

const TIMES: WatchdogTimes = { firstTokenMs: 2_000, betweenTokensMs: 1_000, stopResendMs: 100, stopGraceMs: 500 };

function setup(configure: (worker: FakeModelWorker) => void = () => undefined, times: Partial<WatchdogTimes> = TIMES) {
  const spawned: FakeModelWorker[] = [];
  const crashes: Error[] = [];
  const losses: ModelLostError[] = [];
  const llm = new LlmWorker(
    () => {
      const worker = new FakeModelWorker();
      configure(worker);
      spawned.push(worker);
      return worker as unknown as Worker;
    },
    { onCrash: (error) => crashes.push(error) },
    times,
  );
  llm.onLost((error) => losses.push(error));
  return { llm, spawned, crashes, losses };
}

const config = buildAppConfig(findModel('Qwen3-0.6B-q4f32_1-MLC')!, { modelBaseUrl: 'https://cdn.example/m/' });
const f16Config = buildAppConfig(findModel('Qwen3-0.6B-q4f16_1-MLC')!, { modelBaseUrl: 'https://cdn.example/m/' });
const ask = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 64, stream: true as const };

/** Reads a stream to its end, returning what came and how it finished (or the error it threw). */
async function drain(stream: AsyncIterable<ChatCompletionChunk>) {
  let text = '';
  let finish: string | null = null;
  try {
    for await (const piece of stream) {
      for (const choice of piece.choices) {
        text += choice.delta.content ?? '';
        finish = choice.finish_reason ?? finish;
      }
    }
    return { text, finish, error: undefined };
  } catch (error) {
    return { text, finish, error: error as Error };
  }
}

describe('LlmWorker (WebLLM 0.2.86 worker protocol)', () => {
  it('starts no worker until asked, then probes the GPU, downloads, sets the app config and reloads, in that order', async () => {
    const downloads: number[] = [];
    const { llm, spawned } = setup((worker) => {
      const handle = worker.postMessage.bind(worker);
      worker.postMessage = (message) => {
        if (message.kind === 'sift:download') {
          worker.received.push(message);
          worker.send({ kind: 'sift:progress', uuid: message.uuid, content: { loadedBytes: 5 } });
          worker.reply(message, { totalBytes: 5, cachedBytes: 0 });
        } else if (message.kind === 'reload') {
          worker.send({
            kind: 'initProgressCallback',
            uuid: '',
            content: { progress: 1, text: 'Finish loading', timeElapsed: 1 },
          });
          handle(message);
        } else handle(message);
      };
    });
    expect(spawned).toHaveLength(0);
    const reports: string[] = [];
    let probed = 0;
    await llm.load(config, {
      onProbed: () => (probed += 1),
      onDownload: (progress) => downloads.push(progress.loadedBytes),
      onInit: (report) => reports.push(report.text),
    });
    expect(spawned[0]!.kinds()).toEqual(['sift:probe', 'sift:download', 'setAppConfig', 'reload']);
    expect(spawned[0]!.received[2]!.content).toEqual(config);
    expect(spawned[0]!.received[3]!.content).toEqual({ modelId: ['Qwen3-0.6B-q4f32_1-MLC'] });
    expect(probed).toBe(1);
    expect(downloads).toEqual([5]);
    expect(reports).toEqual(['Finish loading']);
    expect(llm.loadedModelId).toBe('Qwen3-0.6B-q4f32_1-MLC');
  });

  it('refuses to download for a GPU whose limits are below WebLLM’s, saying what it lacks', async () => {
    const { llm, spawned } = setup((worker) => {
      worker.probe = {
        ...GOOD_GPU,
        limits: { ...GOOD_GPU.limits, maxStorageBuffersPerShaderStage: 8, maxComputeWorkgroupStorageSize: 16384 },
        features: [],
      };
    });
    const failure = llm.load(f16Config);
    await expect(failure).rejects.toMatchObject({ name: 'GpuUnsuitableError' });
    await expect(failure).rejects.toThrow(/storage buffers per shader stage \(8, WebLLM needs 10\)/);
    await expect(failure).rejects.toThrow(/workgroup storage \(16 KB per shader, WebLLM needs 32 KB\)/);
    await expect(failure).rejects.toThrow(/shader-f16/);
    expect(spawned[0]!.kinds()).toEqual(['sift:probe']);
  });

  it('recovers the error name from WebLLM’s error strings and forgets a half-loaded model', async () => {
    const { llm, spawned } = setup((worker) => {
      const handle = worker.postMessage.bind(worker);
      worker.postMessage = (message) => {
        if (message.kind === 'reload') {
          worker.received.push(message);
          worker.reply(message, 'ShaderF16SupportError: This model requires shader-f16', 'throw');
        } else handle(message);
      };
    });
    const failure = llm.load(config);
    await expect(failure).rejects.toBeInstanceOf(LlmWorkerError);
    await expect(failure).rejects.toMatchObject({
      name: 'ShaderF16SupportError',
      message: 'This model requires shader-f16',
    });
    expect(spawned[0]!.terminated).toBe(true);
    await expect(llm.generate(ask)).rejects.toBeInstanceOf(NoModelLoadedError);
  });

  it('cancels a load by terminating the worker', async () => {
    const { llm, spawned } = setup((worker) => {
      worker.postMessage = (message) => void worker.received.push(message);
    });
    const controller = new AbortController();
    const loading = llm.load(config, {}, controller.signal);
    await Promise.resolve();
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    expect(spawned[0]!.terminated).toBe(true);
    expect(llm.loadedModelId).toBeUndefined();
  });

  it('streams chunk by chunk with the loaded model id, and closes the worker-side stream when the reader stops early', async () => {
    const { llm, spawned } = setup();
    await llm.load(config);
    const stream = await llm.generate(ask);
    let seen = 0;
    for await (const _piece of stream) if (++seen === 2) break;
    const kinds = spawned[0]!.kinds();
    expect(kinds.slice(-4)).toEqual([
      'chatCompletionStreamInit',
      'completionStreamNextChunk',
      'completionStreamNextChunk',
      'completionStreamReturn',
    ]);
    const init = spawned[0]!.received.find((message) => message.kind === 'chatCompletionStreamInit')!;
    expect(init.content).toMatchObject({
      selectedModelId: 'Qwen3-0.6B-q4f32_1-MLC',
      modelId: ['Qwen3-0.6B-q4f32_1-MLC'],
    });
  });

  it('runs to the end and does not close a stream the worker already ended', async () => {
    const { llm, spawned } = setup((worker) => (worker.tokens = 3));
    await llm.load(config);
    const result = await drain(await llm.generate(ask));
    expect(result).toMatchObject({ text: 'ttt', finish: 'length', error: undefined });
    expect(spawned[0]!.kinds()).not.toContain('completionStreamReturn');
  });

  it('rejects a pending generation when the worker crashes, and reports the model lost', async () => {
    const { llm, spawned, crashes, losses } = setup((worker) => (worker.gpu = 'hangs'));
    await llm.load(config);
    const result = drain(await llm.generate(ask));
    await vi.waitFor(() => expect(spawned[0]!.count('completionStreamNextChunk')).toBe(3));
    spawned[0]!.crash();
    expect((await result).error).toMatchObject({ name: 'ModelLostError', reason: 'worker-crashed' });
    expect(crashes[0]).toBeInstanceOf(WorkerCrashedError);
    expect(losses.map((loss) => loss.reason)).toEqual(['worker-crashed']);
    expect(llm.loadedModelId).toBeUndefined();
    await expect(llm.generate(ask)).rejects.toBeInstanceOf(ModelLostError);
  });

  it('asks the worker for cached models, deletion (by model id only) and the storage estimate with Sift’s own kinds', async () => {
    const { llm, spawned } = setup((worker) => {
      const handle = worker.postMessage.bind(worker);
      worker.postMessage = (message) => {
        if (message.kind === 'sift:listCached') {
          worker.received.push(message);
          worker.reply(message, [{ modelId: 'x' }]);
        } else handle(message);
      };
    });
    await expect(llm.listCached()).resolves.toEqual([{ modelId: 'x' }]);
    await llm.deleteModel('x');
    await llm.storageEstimate();
    expect(spawned[0]!.kinds()).toEqual(['sift:listCached', 'sift:deleteModel', 'sift:storageEstimate']);
    expect(spawned[0]!.received[1]!.content).toEqual({ modelId: 'x' });
  });
});

describe('LlmWorker on a GPU that fails (fake workers that lose the device, hang, or drop a stop)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('maps WebLLM’s ModelNotLoadedError after a silent device loss to "model lost", tells listeners, and stops the worker', async () => {
    const { llm, spawned, losses } = setup();
    await llm.load(config);
    await vi.runAllTimersAsync();
    spawned[0]!.loseDeviceSilently();
    const failure = llm.generate(ask);
    await expect(failure).rejects.toBeInstanceOf(ModelLostError);
    await expect(failure).rejects.toMatchObject({ reason: 'device-lost' });
    await expect(failure).rejects.toThrow(/WebLLM said: ModelNotLoadedError/);
    expect(losses).toHaveLength(1);
    expect(spawned[0]!.terminated).toBe(true);
    // Every later call says the same until the model is loaded again, which then works.
    await expect(llm.generate(ask)).rejects.toBeInstanceOf(ModelLostError);
    await llm.load(config);
    expect(spawned).toHaveLength(2);
    const again = llm.generate(ask).then(drain);
    await vi.runAllTimersAsync();
    expect((await again).finish).toBe('length');
  });

  it('hears a device loss the worker reports while idle, before any call fails', async () => {
    const { llm, spawned, losses } = setup();
    await llm.load(config);
    spawned[0]!.send({ kind: 'sift:deviceLost', uuid: '', content: { message: 'GPU reset' } });
    expect(losses).toHaveLength(1);
    expect(losses[0]!.message).toMatch(/graphics device was lost: GPU reset/);
    expect(spawned[0]!.terminated).toBe(true);
    await expect(llm.generate(ask)).rejects.toBeInstanceOf(ModelLostError);
  });

  it('stops a generation that produces no token for too long, and the model stays loaded when the stop works', async () => {
    const { llm, spawned, losses } = setup((worker) => (worker.gpu = 'stalls-until-stopped'));
    await llm.load(config);
    const result = llm.generate(ask).then(drain);
    await vi.advanceTimersByTimeAsync(TIMES.betweenTokensMs + 50);
    expect(spawned[0]!.count('interruptGenerate')).toBeGreaterThanOrEqual(1);
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ text: 'tt', finish: 'abort', error: undefined });
    expect(losses).toHaveLength(0);
    expect(spawned[0]!.terminated).toBe(false);
    expect(llm.loadedModelId).toBe('Qwen3-0.6B-q4f32_1-MLC');
  });

  it('terminates a worker that answers neither tokens nor the stop, and reports the model lost as hung', async () => {
    const { llm, spawned, losses } = setup((worker) => (worker.gpu = 'hangs'));
    await llm.load(config);
    const result = llm.generate(ask).then(drain);
    await vi.advanceTimersByTimeAsync(TIMES.betweenTokensMs + TIMES.stopGraceMs + 100);
    const { error, text } = await result;
    expect(text).toBe('tt');
    expect(error).toBeInstanceOf(ModelLostError);
    expect(error).toMatchObject({ reason: 'hung' });
    expect(error!.message).toMatch(/nothing for 1 s, and no answer to the request to stop/);
    // The stop was sent, and sent again, before giving up.
    expect(spawned[0]!.count('interruptGenerate')).toBeGreaterThanOrEqual(3);
    expect(spawned[0]!.terminated).toBe(true);
    expect(losses.map((loss) => loss.reason)).toEqual(['hung']);
    await expect(llm.generate(ask)).rejects.toMatchObject({ reason: 'hung' });
  });

  it('resends a stop that WebLLM dropped because the request had not taken the model’s lock yet', async () => {
    const { llm, spawned } = setup((worker) => {
      worker.lockHeldForMs = 300;
      worker.tokens = 200;
    });
    await llm.load(config);
    const controller = new AbortController();
    const result = llm.generate(ask, { signal: controller.signal }).then(drain);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await vi.runAllTimersAsync();
    const { finish, text, error } = await result;
    expect(error).toBeUndefined();
    expect(finish).toBe('abort');
    expect(text.length).toBeLessThan(200);
    expect(spawned[0]!.count('interruptGenerate')).toBeGreaterThan(1);
    expect(spawned[0]!.terminated).toBe(false);
  });

  it('(the fake reproduces WebLLM) a single stop sent before the lock is taken is lost and the answer runs to its limit', async () => {
    const { llm } = setup(
      (worker) => {
        worker.lockHeldForMs = 300;
        worker.tokens = 30;
      },
      { ...TIMES, stopResendMs: 60_000, stopGraceMs: 60_000 },
    );
    await llm.load(config);
    const controller = new AbortController();
    const result = llm.generate(ask, { signal: controller.signal }).then(drain);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await result).finish).toBe('length');
  });

  it('drops a request aborted while it waits for its turn, without touching the generation that runs', async () => {
    const { llm, spawned } = setup((worker) => (worker.tokens = 5));
    await llm.load(config);
    const first = llm.generate(ask).then(drain);
    const controller = new AbortController();
    const second = llm.generate(ask, { signal: controller.signal }).then(drain);
    controller.abort();
    await vi.runAllTimersAsync();
    expect((await first).finish).toBe('length');
    expect((await second).finish).toBe('abort');
    expect(spawned[0]!.count('chatCompletionStreamInit')).toBe(1);
    expect(spawned[0]!.count('interruptGenerate')).toBe(0);
  });
});
