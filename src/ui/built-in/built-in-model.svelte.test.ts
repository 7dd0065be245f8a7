import { afterEach, describe, expect, it } from 'vitest';
import { installFakeLanguageModel, type FakeLanguageModelOptions } from '../../../tests/fakes/language-model.ts';
import type { LanguageModelApi } from '../../core/engines/built-in.ts';
import { BuiltInModel } from './built-in-model.svelte.ts';

function modelWith(options: FakeLanguageModelOptions): BuiltInModel {
  installFakeLanguageModel(options);
  return new BuiltInModel(() => (globalThis as { LanguageModel?: LanguageModelApi }).LanguageModel);
}

afterEach(() => {
  delete (globalThis as { LanguageModel?: unknown }).LanguageModel;
});

describe('BuiltInModel (the page’s view of Chrome’s built-in model)', () => {
  it('is used for runs only when chosen with use(), not when loaded for a benchmark, and no more once unloaded', async () => {
    const model = modelWith({ availability: 'available' });
    await model.check();
    expect(model).toMatchObject({ availability: 'available', status: 'idle', present: true, inUse: false });

    expect(await model.load()).not.toBeNull();
    expect(model.inUse).toBe(false);
    await model.use();
    expect(model).toMatchObject({ status: 'ready', inUse: true });
    model.stopUsing();
    expect(model.inUse).toBe(false);
    expect(model.engine).not.toBeNull();

    await model.use();
    model.cancel();
    expect(model).toMatchObject({ status: 'idle', inUse: false, engine: null });
  });

  it('says in words why it did not load, and is not in use after a failed download', async () => {
    const model = modelWith({ availability: 'downloadable', failDownload: true, activated: true });
    await model.check();
    expect(await model.use()).toBeNull();
    expect(model).toMatchObject({ status: 'failed', inUse: false, availability: 'downloadable' });
    expect(model.problem).toMatch(/could not download its built-in model.*22 GB/);
  });

  it('reports a browser without the Prompt API as unavailable', async () => {
    const model = new BuiltInModel(() => undefined);
    await model.check();
    expect(model).toMatchObject({ availability: 'unavailable', present: false });
    expect(await model.use()).toBeNull();
    expect(model.problem).toMatch(/no built-in model/);
  });
});
