/**
 * A stand-in for Chrome's built-in model (`LanguageModel`, the Prompt API) that follows the
 * documented shape: availability states, a download reported through `monitor` as
 * `downloadprogress` events (0 and 1 at least), a user activation required while the model is
 * still to be downloaded (`NotAllowedError`), initial prompts with the system message first
 * (`TypeError` otherwise), `responseConstraint` honoured, context usage with `QuotaExceededError`,
 * `NetworkError` for a failed download, `AbortError` on abort and on destroy, streamed pieces.
 *
 * `installFakeLanguageModel` is self-contained (it references nothing outside its own body), so
 * Playwright can run it as an init script (`page.addInitScript(installFakeLanguageModel, options)`)
 * and Node tests can call it to set the global. Its answers are scripted (`replies`) or else the
 * plainest output the JSON Schema allows: a model that obeys the grammar but knows nothing.
 */

export interface FakeLanguageModelOptions {
  availability?: 'unavailable' | 'downloadable' | 'downloading' | 'available';
  /** Progress events of a download, and the pause between them. */
  downloadSteps?: number;
  stepMs?: number;
  failDownload?: boolean;
  contextWindow?: number;
  /** Chrome before the rename: inputUsage, inputQuota, measureInputUsage. */
  legacyNames?: boolean;
  /** Answers played in order, before the schema-made ones. */
  replies?: string[];
  /** Pause before each streamed piece. */
  pieceMs?: number;
  /** Where there is no `navigator.userActivation` (Node): whether the page counts as activated. */
  activated?: boolean;
}

export interface FakeLanguageModelRecord {
  availability: string;
  sessions: number;
  destroyed: number;
  prompts: Array<{ initialPrompts: unknown[]; input: string; responseConstraint: unknown }>;
}

export function installFakeLanguageModel(options: FakeLanguageModelOptions = {}): void {
  const record: FakeLanguageModelRecord = {
    availability: options.availability ?? 'available',
    sessions: 0,
    destroyed: 0,
    prompts: [],
  };
  const windowSize = options.contextWindow ?? 6144;
  const replies = [...(options.replies ?? [])];
  const tokens = (text: string) => Math.ceil(text.length / 4) + 4;
  const wait = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  const abortError = (signal?: AbortSignal) =>
    signal?.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
  const quotaError = (requested: number, available: number) =>
    Object.assign(new DOMException('The input is too large.', 'QuotaExceededError'), {
      requested,
      quota: available,
      contextWindow: available,
    });

  /** The plainest value a JSON Schema allows: first choices, required keys only, shortest strings. */
  const sample = (schema: Record<string, unknown>): unknown => {
    if ('const' in schema) return schema['const'];
    if (Array.isArray(schema['enum'])) return schema['enum'][0];
    if (Array.isArray(schema['anyOf'])) return sample(schema['anyOf'][0] as Record<string, unknown>);
    const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
    const required = (schema['required'] ?? []) as string[];
    switch (schema['type']) {
      case 'object':
        return Object.fromEntries(
          Object.entries(properties)
            .filter(([key]) => required.includes(key))
            .map(([key, inner]) => [key, sample(inner)]),
        );
      case 'array':
        return Array.from({ length: Number(schema['minItems'] ?? 0) }, () =>
          sample((schema['items'] ?? {}) as Record<string, unknown>),
        );
      case 'integer':
        return Number(schema['minimum'] ?? 1);
      case 'number':
        return Number(schema['minimum'] ?? 0.5);
      case 'boolean':
        return true;
      case 'null':
        return null;
      default:
        return 'x'.repeat(Math.max(1, Number(schema['minLength'] ?? 1)));
    }
  };

  const activated = () => {
    const activation = (globalThis.navigator as { userActivation?: { hasBeenActive: boolean } } | undefined)
      ?.userActivation;
    return activation ? activation.hasBeenActive : (options.activated ?? false);
  };

  type Message = { role: string; content: string };

  class FakeSession {
    private usage = 0;
    private closed = new AbortController();
    constructor(private readonly initialPrompts: Message[]) {
      this.usage = initialPrompts.reduce((sum, message) => sum + tokens(message.content), 0);
    }
    get contextUsage() {
      return options.legacyNames ? undefined : this.usage;
    }
    get contextWindow() {
      return options.legacyNames ? undefined : windowSize;
    }
    get inputUsage() {
      return options.legacyNames ? this.usage : undefined;
    }
    get inputQuota() {
      return options.legacyNames ? windowSize : undefined;
    }
    async measureContextUsage(input: string) {
      return tokens(input);
    }
    async measureInputUsage(input: string) {
      return tokens(input);
    }
    private answer(input: string, promptOptions: { responseConstraint?: unknown } = {}): string {
      if (this.closed.signal.aborted) throw new DOMException('The session was destroyed.', 'InvalidStateError');
      const constraint = promptOptions.responseConstraint;
      if (constraint !== undefined && (typeof constraint !== 'object' || constraint === null)) {
        throw new TypeError('responseConstraint must be a JSON Schema object or a RegExp.');
      }
      const needed = tokens(input);
      if (this.usage + needed > windowSize) throw quotaError(needed, windowSize - this.usage);
      record.prompts.push({ initialPrompts: this.initialPrompts, input, responseConstraint: constraint ?? null });
      const reply =
        replies.shift() ??
        (constraint ? JSON.stringify(sample(constraint as Record<string, unknown>)) : 'I am a fake model.');
      this.usage += needed + tokens(reply);
      return reply;
    }
    async prompt(input: string, promptOptions: { responseConstraint?: unknown; signal?: AbortSignal } = {}) {
      const reply = this.answer(input, promptOptions);
      await wait(options.pieceMs ?? 0, promptOptions.signal);
      return reply;
    }
    promptStreaming(input: string, promptOptions: { responseConstraint?: unknown; signal?: AbortSignal } = {}) {
      const signals = [promptOptions.signal, this.closed.signal].filter(Boolean) as AbortSignal[];
      const signal = AbortSignal.any(signals);
      let reply: string | null = null;
      let offset = 0;
      return new ReadableStream<string>({
        pull: async (controller) => {
          try {
            reply ??= this.answer(input, promptOptions);
            await wait(options.pieceMs ?? 0, signal);
            if (offset >= reply.length) return controller.close();
            controller.enqueue(reply.slice(offset, offset + 6));
            offset += 6;
          } catch (error) {
            controller.error(error);
          }
        },
      });
    }
    destroy() {
      if (this.closed.signal.aborted) return;
      record.destroyed++;
      this.closed.abort(new DOMException('The session was destroyed.', 'AbortError'));
    }
  }

  const FakeLanguageModel = {
    async availability(availabilityOptions: { expectedInputs?: Array<{ languages?: string[] }> } = {}) {
      const languages = (availabilityOptions.expectedInputs ?? []).flatMap((input) => input.languages ?? []);
      if (languages.some((language) => !['en', 'es', 'ja'].includes(language))) return 'unavailable';
      return record.availability;
    },
    async create(
      createOptions: {
        initialPrompts?: Message[];
        monitor?: (monitor: EventTarget) => void;
        signal?: AbortSignal;
      } = {},
    ) {
      const { signal } = createOptions;
      if (signal?.aborted) throw abortError(signal);
      if (record.availability === 'unavailable')
        throw new DOMException('The model is not available.', 'NotSupportedError');
      const prompts = createOptions.initialPrompts ?? [];
      if (prompts.some((message, index) => message.role === 'system' && index > 0)) {
        throw new TypeError('A system prompt must be the first message.');
      }
      const monitor = new EventTarget();
      createOptions.monitor?.(monitor);
      const progress = (loaded: number) =>
        monitor.dispatchEvent(Object.assign(new Event('downloadprogress'), { loaded, total: 1 }));
      if (record.availability !== 'available') {
        if (record.availability === 'downloadable' && !activated()) {
          throw new DOMException('Requires a user gesture when availability is "downloadable".', 'NotAllowedError');
        }
        record.availability = 'downloading';
        const steps = Math.max(1, options.downloadSteps ?? 4);
        for (let step = 0; step <= steps; step++) {
          await wait(options.stepMs ?? 0, signal);
          if (options.failDownload && step === Math.ceil(steps / 2)) {
            record.availability = 'downloadable';
            throw new DOMException('The model download failed.', 'NetworkError');
          }
          progress(step / steps);
        }
        record.availability = 'available';
      } else {
        progress(0);
        progress(1);
      }
      const used = prompts.reduce((sum, message) => sum + tokens(message.content), 0);
      if (used > windowSize) throw quotaError(used, windowSize);
      record.sessions++;
      return new FakeSession(prompts);
    },
  };

  Object.assign(globalThis, { LanguageModel: FakeLanguageModel, __fakeLanguageModel: record });
}

/** What the fake saw, for a test's assertions (the global the installer sets). */
export function fakeLanguageModelRecord(): FakeLanguageModelRecord {
  return (globalThis as { __fakeLanguageModel?: FakeLanguageModelRecord }).__fakeLanguageModel!;
}
