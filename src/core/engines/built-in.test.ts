import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeLanguageModelRecord,
  installFakeLanguageModel,
  type FakeLanguageModelOptions,
} from '../../../tests/fakes/language-model.ts';
import { builtInAvailability, BuiltInModelError, loadBuiltInModel, type LanguageModelApi } from './built-in.ts';
import type { ChatCompletionRequest } from './engine.ts';

/** The page's `LanguageModel`, here the fake the installer put on the global. */
function api(options: FakeLanguageModelOptions = {}): LanguageModelApi {
  installFakeLanguageModel(options);
  return (globalThis as unknown as { LanguageModel: LanguageModelApi }).LanguageModel;
}

afterEach(() => {
  delete (globalThis as { LanguageModel?: unknown }).LanguageModel;
});

const schema = {
  type: 'object',
  required: ['tool', 'arguments'],
  properties: { tool: { type: 'string', const: 'extract_links' }, arguments: { type: 'object' } },
  additionalProperties: false,
};
const request = (
  extra: Partial<Omit<ChatCompletionRequest, 'stream'>> = {},
): ChatCompletionRequest & { stream: false } => ({
  messages: [
    { role: 'system', content: 'You are Sift.' },
    { role: 'user', content: 'Find the links.' },
  ],
  response_format: { type: 'json_object', schema: JSON.stringify(schema) },
  max_tokens: 100,
  ...extra,
  stream: false,
});

describe('Chrome built-in model (Prompt API) as a ChatEngine', () => {
  it('reports the four availability states, and unavailable without the API', async () => {
    for (const state of ['unavailable', 'downloadable', 'downloading', 'available'] as const) {
      expect(await builtInAvailability(api({ availability: state }))).toBe(state);
    }
    expect(await builtInAvailability(undefined)).toBe('unavailable');
  });

  it("passes on Chrome's download progress and needs a click before downloading", async () => {
    const language = api({ availability: 'downloadable', downloadSteps: 4 });
    await expect(loadBuiltInModel(language)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(/only after you click/),
    });
    const clicked = api({ availability: 'downloadable', downloadSteps: 4, activated: true });
    const seen: number[] = [];
    const engine = await loadBuiltInModel(clicked, { onProgress: (fraction) => seen.push(fraction) });
    expect(seen).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(await builtInAvailability(clicked)).toBe('available');
    expect(engine.info).toMatchObject({ id: 'built-in:chrome', location: 'on-device', contextWindow: 6144 });
  });

  it('says why a download failed or the model is missing', async () => {
    await expect(
      loadBuiltInModel(api({ availability: 'downloadable', activated: true, failDownload: true })),
    ).rejects.toMatchObject({ name: 'NetworkError', message: expect.stringMatching(/could not download/) });
    await expect(loadBuiltInModel(api({ availability: 'unavailable' }))).rejects.toThrow(/no built-in model/);
    await expect(loadBuiltInModel(undefined)).rejects.toThrow(/Chrome 148\+/);
  });

  it('answers under the JSON Schema with the system message first, and counts tokens from the API', async () => {
    const engine = await loadBuiltInModel(api());
    const completion = await engine.chat.completions.create(request());
    expect(JSON.parse(completion.choices[0].message.content)).toEqual({ tool: 'extract_links', arguments: {} });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage.completion_tokens).toBe(Math.ceil(completion.choices[0].message.content.length / 4) + 4);
    const [prompt] = fakeLanguageModelRecord().prompts;
    expect(prompt).toMatchObject({
      initialPrompts: [{ role: 'system', content: 'You are Sift.' }],
      input: 'Find the links.',
      responseConstraint: schema,
    });
    // One session per request, destroyed after; the one that keeps the model loaded stays.
    expect(fakeLanguageModelRecord()).toMatchObject({ sessions: 2, destroyed: 1 });
  });

  it("reads Chrome's older names for context usage (inputUsage, inputQuota)", async () => {
    const engine = await loadBuiltInModel(api({ legacyNames: true, contextWindow: 8192 }));
    expect(engine.info.contextWindow).toBe(8192);
    const completion = await engine.chat.completions.create(request());
    expect(completion.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('streams in pieces and stops at max_tokens with finish "length"', async () => {
    const engine = await loadBuiltInModel(api({ replies: ['{"answer": "' + 'word '.repeat(200) + '"}'] }));
    const stream = await engine.chat.completions.create({ ...request(), stream: true, max_tokens: 20 });
    const pieces: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      if (chunk.choices[0]!.delta.content) pieces.push(chunk.choices[0]!.delta.content);
      finish = chunk.choices[0]!.finish_reason ?? finish;
    }
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('').length).toBeLessThanOrEqual(80);
    expect(finish).toBe('length');
  });

  it('maps a prompt longer than the context to a clear quota error', async () => {
    const engine = await loadBuiltInModel(api({ contextWindow: 50 }));
    const long = request({
      messages: [
        { role: 'system', content: 'You are Sift.' },
        { role: 'user', content: 'x'.repeat(400) },
      ],
    });
    const error = await engine.chat.completions.create(long).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BuiltInModelError);
    expect(error).toMatchObject({
      name: 'QuotaExceededError',
      message: expect.stringMatching(/too long .*104 tokens/),
    });
  });

  it('ends with finish "abort" when the signal aborts mid-answer', async () => {
    const engine = await loadBuiltInModel(api({ pieceMs: 5, replies: ['{"answer": "' + 'a'.repeat(300) + '"}'] }));
    const controller = new AbortController();
    const stream = await engine.chat.completions.create({ ...request(), stream: true }, { signal: controller.signal });
    let finish: string | null = null;
    let pieces = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]!.delta.content && ++pieces === 3) controller.abort();
      finish = chunk.choices[0]!.finish_reason ?? finish;
    }
    expect(pieces).toBe(3);
    expect(finish).toBe('abort');
  });

  it('refuses requests after destroy, with a message', async () => {
    const engine = await loadBuiltInModel(api());
    engine.destroy();
    await expect(engine.chat.completions.create(request())).rejects.toThrow(/was closed/);
  });
});
