import { describe, expect, it } from 'vitest';
import { buildAppConfig, findModel } from '../../core/engines/catalogue.ts';
import { LlmWorker, LlmWorkerError, ModelNotLoadedError } from './llm.ts';
import { WorkerCrashedError } from './worker-owner.ts';

type Message = { kind: string; uuid: string; content: unknown };

/**
 * Stands in for the model worker: answers each request the way `WebWorkerMLCEngineHandler`
 * (0.2.86) and Sift's `sift:*` kinds do, `{kind: "return" | "throw", uuid, content}`.
 */
class ProtocolWorker extends EventTarget {
  received: Message[] = [];
  terminated = false;
  chunks: unknown[] = [];
  answer: (message: Message) => void = (message) => this.reply(message, null);

  postMessage(message: Message) {
    this.received.push(message);
    queueMicrotask(() => this.answer(message));
  }
  reply(message: Message, content: unknown, kind: 'return' | 'throw' = 'return') {
    this.send({ kind, uuid: message.uuid, content });
  }
  send(data: unknown) {
    const event = new Event('message');
    Object.assign(event, { data });
    this.dispatchEvent(event);
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
}

function setup(answer?: (worker: ProtocolWorker, message: Message) => void) {
  const spawned: ProtocolWorker[] = [];
  const crashes: Error[] = [];
  const llm = new LlmWorker(
    () => {
      const worker = new ProtocolWorker();
      if (answer) worker.answer = (message) => answer(worker, message);
      spawned.push(worker);
      return worker as unknown as Worker;
    },
    { onCrash: (error) => crashes.push(error) },
  );
  return { llm, spawned, crashes };
}

const config = buildAppConfig(findModel('Qwen3-0.6B-q4f32_1-MLC')!, { modelBaseUrl: 'https://cdn.example/m/' });

describe('LlmWorker (WebLLM 0.2.86 worker protocol)', () => {
  it('starts no worker until asked, then downloads, sets the app config and reloads, in that order', async () => {
    const downloads: number[] = [];
    const { llm, spawned } = setup((worker, message) => {
      if (message.kind === 'sift:download') {
        worker.send({ kind: 'sift:progress', uuid: message.uuid, content: { loadedBytes: 5 } });
        worker.reply(message, { totalBytes: 5, cachedBytes: 0 });
      } else if (message.kind === 'reload') {
        worker.send({
          kind: 'initProgressCallback',
          uuid: '',
          content: { progress: 1, text: 'Finish loading', timeElapsed: 1 },
        });
        worker.reply(message, null);
      }
    });
    expect(spawned).toHaveLength(0);
    const reports: string[] = [];
    await llm.load(config, {
      onDownload: (progress) => downloads.push(progress.loadedBytes),
      onInit: (report) => reports.push(report.text),
    });
    expect(spawned[0]!.kinds()).toEqual(['sift:download', 'setAppConfig', 'reload']);
    expect(spawned[0]!.received[1]!.content).toEqual(config);
    expect(spawned[0]!.received[2]!.content).toEqual({ modelId: ['Qwen3-0.6B-q4f32_1-MLC'] });
    expect(downloads).toEqual([5]);
    expect(reports).toEqual(['Finish loading']);
    expect(llm.loadedModelId).toBe('Qwen3-0.6B-q4f32_1-MLC');
  });

  it('recovers the error name from WebLLM’s error strings and forgets a half-loaded model', async () => {
    const { llm, spawned } = setup((worker, message) => {
      if (message.kind === 'reload')
        worker.reply(message, 'ShaderF16SupportError: This model requires shader-f16', 'throw');
      else worker.reply(message, null);
    });
    const failure = llm.load(config);
    await expect(failure).rejects.toBeInstanceOf(LlmWorkerError);
    await expect(failure).rejects.toMatchObject({
      name: 'ShaderF16SupportError',
      message: 'This model requires shader-f16',
    });
    expect(spawned[0]!.terminated).toBe(true);
    await expect(llm.chatCompletion({ messages: [], max_tokens: 1 })).rejects.toBeInstanceOf(ModelNotLoadedError);
  });

  it('cancels a load by terminating the worker', async () => {
    const { llm, spawned } = setup(() => undefined);
    const controller = new AbortController();
    const loading = llm.load(config, {}, controller.signal);
    await Promise.resolve();
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    expect(spawned[0]!.terminated).toBe(true);
    expect(llm.loadedModelId).toBeUndefined();
  });

  it('sends a chat request with the loaded model id and returns the completion', async () => {
    const { llm, spawned } = setup((worker, message) =>
      worker.reply(message, message.kind === 'chatCompletionNonStreaming' ? { id: 'c1', choices: [] } : null),
    );
    await llm.load(config);
    const completion = await llm.chatCompletion({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 });
    expect(completion).toEqual({ id: 'c1', choices: [] });
    expect(spawned[0]!.received.at(-1)!.content).toMatchObject({ modelId: ['Qwen3-0.6B-q4f32_1-MLC'] });
  });

  it('streams chunk by chunk, and closes the worker-side stream when the reader stops early', async () => {
    const chunks = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const { llm, spawned } = setup((worker, message) => {
      if (message.kind === 'completionStreamNextChunk') worker.reply(message, chunks.shift());
      else worker.reply(message, null);
    });
    await llm.load(config);
    const stream = await llm.chatCompletionStream({ messages: [], max_tokens: 8, stream: true });
    const seen: unknown[] = [];
    for await (const chunk of stream) {
      seen.push(chunk);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([{ id: 'a' }, { id: 'b' }]);
    const kinds = spawned[0]!.kinds();
    expect(kinds.slice(-4)).toEqual([
      'chatCompletionStreamInit',
      'completionStreamNextChunk',
      'completionStreamNextChunk',
      'completionStreamReturn',
    ]);
    const init = spawned[0]!.received.find((message) => message.kind === 'chatCompletionStreamInit')!;
    expect(init.content).toMatchObject({ selectedModelId: 'Qwen3-0.6B-q4f32_1-MLC' });
  });

  it('ends a stream when the worker returns no chunk, without closing it again', async () => {
    const { llm, spawned } = setup((worker, message) => worker.reply(message, undefined));
    await llm.load(config);
    const stream = await llm.chatCompletionStream({ messages: [], max_tokens: 8, stream: true });
    for await (const _chunk of stream) throw new Error('no chunk expected');
    expect(spawned[0]!.kinds()).not.toContain('completionStreamReturn');
  });

  it('posts interruptGenerate without waiting, and does nothing when no model is loaded', async () => {
    const { llm, spawned } = setup();
    llm.interruptGenerate();
    expect(spawned).toHaveLength(0);
    await llm.load(config);
    llm.interruptGenerate();
    expect(spawned[0]!.kinds().at(-1)).toBe('interruptGenerate');
  });

  it('rejects a pending chat when the worker crashes, and forgets the model', async () => {
    const { llm, spawned, crashes } = setup((worker, message) => {
      if (message.kind !== 'chatCompletionNonStreaming') worker.reply(message, null);
    });
    await llm.load(config);
    const pending = llm.chatCompletion({ messages: [], max_tokens: 8 });
    await Promise.resolve();
    spawned[0]!.crash();
    await expect(pending).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(crashes).toHaveLength(1);
    expect(llm.loadedModelId).toBeUndefined();
    await expect(llm.chatCompletion({ messages: [], max_tokens: 8 })).rejects.toBeInstanceOf(ModelNotLoadedError);
  });

  it('asks the worker for cached models, deletion and the storage estimate with Sift’s own kinds', async () => {
    const { llm, spawned } = setup((worker, message) =>
      worker.reply(message, message.kind === 'sift:listCached' ? [{ modelId: 'x' }] : null),
    );
    await expect(llm.listCached()).resolves.toEqual([{ modelId: 'x' }]);
    await llm.deleteModel('x', config);
    await llm.storageEstimate();
    expect(spawned[0]!.kinds()).toEqual(['sift:listCached', 'sift:deleteModel', 'sift:storageEstimate']);
    expect(spawned[0]!.received[1]!.content).toEqual({ modelId: 'x', appConfig: config });
  });
});
