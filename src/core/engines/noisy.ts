/**
 * A chat engine that is right except when it is not: it wraps an oracle (an engine that always
 * answers correctly) and turns the oracle's answer into the mistakes small models really make.
 * The agent's benchmark runs the same jobs at several rates to show what the gates catch.
 *
 * A small model is wrong about a task, not about a request: asked again about the same link, after
 * a repair, at another temperature or with the batch reordered, it tends to say the same wrong
 * thing. So mistakes are drawn per task (task-identity.ts: each judged link by its domain and
 * anchor, each Ask decision by the instruction as typed and the calls already made), never per
 * request wording. The first time a task is asked its mistake (or its being right) is drawn at
 * `rate`; every re-ask repeats that draw with probability `correlation` and draws afresh
 * otherwise. Draws are seeded by the task, so they do not depend on the order of requests.
 *
 * Mistakes are chosen from the request's own JSON schema, so they are plausible: a tool that
 * exists, an id that exists but is the wrong one, and so on. Every kind is classified by whether a
 * gate can see it (`noiseVisibility`). The answer then reaches the agent as the named model's
 * would (realistic-output.ts): Qwen3's empty think block, the layout, the cut at `max_tokens`.
 */
import { tasksOf, type Task } from '../agent/task-identity.ts';
import type { ChatCompletion, ChatCompletionRequest, ChatEngine, EngineInfo, RequestOptions } from './engine.ts';
import { collectStream, oneShotChat, qwen3EmptyThinkBlock } from './engine.ts';
import type { FinishReason } from './engine.ts';
import {
  layoutFor,
  layoutJson,
  promptTokens,
  shapeAnswer,
  type JsonLayout,
  type ModelHabits,
} from './realistic-output.ts';

export const noiseKinds = [
  'wrong-tool',
  'invented-argument',
  'missing-argument',
  'malformed-json',
  'truncated-json',
  'smart-quotes',
  'value-not-allowed',
  'repeated-call',
  'wrong-judgement',
] as const;
export type NoiseKind = (typeof noiseKinds)[number];

export type Visibility = 'detectable' | 'undetectable';

/**
 * Whether any gate can see a mistake of this kind. Detectable: gate 1 (cut off), gate 2 (not JSON,
 * a property invented or missing, a value outside the schema) or gate 3 (an id the run never
 * produced, a call already made). Undetectable: a valid answer that is wrong (a flipped verdict,
 * another existing id or enum member, an early final answer) or another tool called with
 * arguments valid for it; only a second opinion can catch these. (Gate 3 may still reject a
 * wrong tool whose call the state forbids; that is luck, not sight.)
 */
export const noiseVisibility: Readonly<Record<NoiseKind, Visibility>> = {
  'malformed-json': 'detectable',
  'truncated-json': 'detectable',
  'smart-quotes': 'detectable',
  'invented-argument': 'detectable',
  'missing-argument': 'detectable',
  'value-not-allowed': 'detectable',
  'repeated-call': 'detectable',
  'wrong-judgement': 'undetectable',
  'wrong-tool': 'undetectable',
};

export const detectableKinds = noiseKinds.filter((kind) => noiseVisibility[kind] === 'detectable');
export const undetectableKinds = noiseKinds.filter((kind) => noiseVisibility[kind] === 'undetectable');

export interface NoiseRecord {
  request: number;
  /** The task the mistake was made on (task-identity.ts). */
  task: string;
  kind: NoiseKind;
  visibility: Visibility;
  before: string;
  after: string;
}

/** Mulberry32: small, fast and good enough to make runs repeatable from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the text, started from the seed: one stream of draws per (seed, task, ask). */
function seedOf(seed: number, text: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** `layout` defaults to compact; without `tokens` nothing is cut. */
export interface NoisyEngineOptions extends ModelHabits {
  /** Probability that the model is wrong about one task (a judged link, an Ask decision), 0..1. */
  rate: number;
  /** ρ: probability that a re-ask repeats the task's first draw, 0..1 (0: independent, 1: stubborn). */
  correlation?: number;
  seed: number;
  /** Restricts the mistakes made (all kinds by default). */
  kinds?: readonly NoiseKind[];
  info?: Partial<EngineInfo>;
}

interface Draw {
  wrong: boolean;
  pick: number;
  detail: number;
}

export class NoisyEngine implements ChatEngine {
  readonly info: EngineInfo;
  /** What was changed, task by task: lets a test or a benchmark say which mistake broke a run. */
  readonly noise: NoiseRecord[] = [];
  #oracle: ChatEngine;
  #options: NoisyEngineOptions;
  #correlation: number;
  #kinds: readonly NoiseKind[];
  /** Per task: how often it was asked, and its first draw (what a stubborn model keeps saying). */
  #tasks = new Map<string, { asks: number; first: Draw }>();
  #requests = 0;

  constructor(oracle: ChatEngine, options: NoisyEngineOptions) {
    if (!(options.rate >= 0 && options.rate <= 1))
      throw new RangeError(`Noise rate must be 0..1, got ${options.rate}.`);
    const correlation = options.correlation ?? 0;
    if (!(correlation >= 0 && correlation <= 1))
      throw new RangeError(`Noise correlation must be 0..1, got ${options.correlation}.`);
    this.#oracle = oracle;
    this.#options = options;
    this.#correlation = correlation;
    this.#kinds = options.kinds?.length ? options.kinds : noiseKinds;
    this.info = {
      ...oracle.info,
      id: `noisy(${options.rate}${correlation ? `, ρ=${correlation}` : ''}):${oracle.info.id}`,
      ...options.info,
    };
  }

  readonly chat = oneShotChat((request, options) => this.#complete(request, options));

  #draw(task: string): Draw {
    const known = this.#tasks.get(task);
    const random = seededRandom(seedOf(this.#options.seed, `${known?.asks ?? 0}\u0000${task}`));
    const repeats = known !== undefined && random() < this.#correlation;
    const draw = repeats ? known.first : { wrong: random() < this.#options.rate, pick: random(), detail: random() };
    if (known) known.asks++;
    else this.#tasks.set(task, { asks: 1, first: draw });
    return draw;
  }

  async #complete(request: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion> {
    const index = this.#requests++;
    const truth = await this.#oracle.chat.completions.create({ ...request, stream: false }, options);
    const [choice] = truth.choices;
    const written = withoutThinkBlock(choice.message.content);
    let value: Json | undefined;
    try {
      value = JSON.parse(written) as Json;
    } catch {
      value = undefined;
    }
    const layout = layoutFor(request, this.#options.layout) ?? 'compact';
    let text = value === undefined ? written : layoutJson(value, layout);
    let finish: FinishReason = choice.finish_reason;
    if (value !== undefined && finish === 'stop') {
      const mistakes = tasksOf(request, value).flatMap((task) => {
        const draw = this.#draw(task.key);
        return draw.wrong ? [{ task, pick: draw.pick, detail: draw.detail }] : [];
      });
      if (mistakes.length) {
        const context: MistakeContext = {
          schema: parseSchema(request.response_format?.schema),
          layout,
          executed: executedCalls(request),
          taken: takenIds(request),
        };
        const made = applyMistakes(value, mistakes, this.#kinds, context);
        for (const { task, kind } of made.applied) {
          this.noise.push({
            request: index,
            task: task.key,
            kind,
            visibility: noiseVisibility[kind],
            before: text,
            after: made.content,
          });
        }
        text = made.content;
        finish = made.finish;
      }
    }
    const shaped = shapeAnswer(text, finish, request, this.info.model, this.#options.tokens);
    const prompt = this.#options.tokens ? promptTokens(request, this.#options.tokens) : truth.usage.prompt_tokens;
    return {
      ...truth,
      model: this.info.model,
      choices: [{ index: 0, message: { role: 'assistant', content: shaped.content }, finish_reason: shaped.finish }],
      usage: {
        prompt_tokens: prompt,
        completion_tokens: shaped.completionTokens,
        total_tokens: prompt + shaped.completionTokens,
      },
    };
  }
}

export { collectStream };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Mutation {
  kind: NoiseKind;
  content: string;
  finish: FinishReason;
}

interface MistakeContext {
  schema: JsonObject | null;
  layout: JsonLayout;
  /** The calls already executed in this conversation, for repeated calls. */
  executed: JsonObject[];
  /** Every link id the request mentions: an id outside it is one the run never produced. */
  taken: Set<string>;
}

interface PlannedMistake {
  task: Task;
  pick: number;
  detail: number;
}

/**
 * Applies one mistake of the picked kind to one answer, or of the next kind that applies to this
 * output (a decision list has no tool to get wrong). Returns null only when nothing applies. The
 * answer is one task: what the benchmark's grammar tests feed with valid examples.
 */
export function mutate(
  content: string,
  schemaText: string | undefined,
  kinds: readonly NoiseKind[],
  pick: number,
  detail: number,
): Mutation | null {
  let parsed: Json;
  try {
    parsed = JSON.parse(content) as Json;
  } catch {
    return null;
  }
  const context: MistakeContext = {
    schema: parseSchema(schemaText),
    layout: 'compact',
    executed: [],
    taken: new Set(),
  };
  const made = applyMistakes(parsed, [{ task: { key: '', answerKey: null }, pick, detail }], kinds, context);
  const [applied] = made.applied;
  return applied ? { kind: applied.kind, content: made.content, finish: made.finish } : null;
}

const textKinds: ReadonlySet<NoiseKind> = new Set(['malformed-json', 'truncated-json', 'smart-quotes']);

/**
 * Changes to the value first (each on its own part of the answer), then the layout, then what
 * happens to the text: a missing colon, curly quotes, the cut of a model that ran on to `max_tokens`.
 */
function applyMistakes(
  value: Json,
  mistakes: readonly PlannedMistake[],
  kinds: readonly NoiseKind[],
  context: MistakeContext,
): { content: string; finish: FinishReason; applied: Array<{ task: Task; kind: NoiseKind }> } {
  let next = structuredClone(value);
  const applied: Array<{ task: Task; kind: NoiseKind; detail: number; at: string | null }> = [];
  for (const mistake of mistakes) {
    const start = Math.floor(mistake.pick * kinds.length);
    for (let offset = 0; offset < kinds.length; offset++) {
      const kind = kinds[(start + offset) % kinds.length]!;
      if (textKinds.has(kind)) {
        if (textKindApplies(kind, next, mistake.task.answerKey)) {
          applied.push({ task: mistake.task, kind, detail: mistake.detail, at: mistake.task.answerKey });
          break;
        }
        continue;
      }
      const changed = applyValueKind(kind, structuredClone(next), mistake.task.answerKey, mistake.detail, context);
      if (changed && JSON.stringify(changed.value) !== JSON.stringify(next)) {
        next = changed.value;
        applied.push({ task: mistake.task, kind, detail: mistake.detail, at: changed.answerKey });
        break;
      }
    }
  }
  let content = layoutJson(next, context.layout);
  let finish: FinishReason = 'stop';
  let cut = Infinity;
  for (const { kind, detail, at } of applied) {
    if (kind === 'malformed-json') {
      // A missing colon: nothing a tolerant parser may guess back. Same length, so spans hold.
      const colon = content.indexOf(':', at === null ? 0 : Math.max(0, content.indexOf(JSON.stringify(at))));
      if (colon >= 0) content = `${content.slice(0, colon)} ${content.slice(colon + 1)}`;
    } else if (kind === 'truncated-json') {
      const [from, to] = spanOf(content, at);
      cut = Math.min(cut, from + Math.max(1, Math.min(to - from - 1, Math.floor((to - from) * (0.3 + 0.6 * detail)))));
    }
  }
  const curly = applied.find((mistake) => mistake.kind === 'smart-quotes');
  if (curly) {
    let open = true;
    content = content.replace(/"/g, () => {
      const quote = open ? '\u201c' : '\u201d';
      open = !open;
      return quote;
    });
  }
  if (cut < Infinity) {
    content = content.slice(0, cut);
    finish = 'length';
  } else if (curly) {
    content += curly.detail < 0.5 ? '\n' : ' <|im_end|>';
  }
  return { content, finish, applied: applied.map(({ task, kind }) => ({ task, kind })) };
}

function textKindApplies(kind: NoiseKind, value: Json, answerKey: string | null): boolean {
  const text = JSON.stringify(value);
  if (kind === 'malformed-json') return text.includes(':');
  if (kind === 'truncated-json') return answerKey !== null || text.length >= 4;
  return true;
}

/** Where one judged link's entry sits in the text (the whole text for the whole answer). */
function spanOf(content: string, answerKey: string | null): [number, number] {
  if (answerKey === null) return [0, content.length];
  const from = content.indexOf(JSON.stringify(answerKey));
  if (from < 0) return [0, content.length];
  const after = content.slice(from + 1).search(/"L\d+"\s*:/);
  return [from, after < 0 ? content.length : from + 1 + after];
}

/** One value-level mistake on the part of the answer a task decides; null when it does not apply. */
function applyValueKind(
  kind: NoiseKind,
  whole: Json,
  answerKey: string | null,
  detail: number,
  context: MistakeContext,
): { value: Json; answerKey: string | null } | null {
  const done = (value: Json, key = answerKey) => ({ value, answerKey: key });
  const part = answerKey === null ? whole : isObject(whole) ? whole[answerKey] : undefined;
  if (part === undefined) return null;
  const partSchema = answerKey === null ? context.schema : propertySchema(context.schema, answerKey);
  switch (kind) {
    case 'wrong-tool': {
      if (answerKey !== null || !isObject(whole) || typeof whole['tool'] !== 'string') return null;
      const executed = new Set(context.executed.map(canonical));
      const calls = validCalls(context.schema, detail).filter(
        (call) => call['tool'] !== whole['tool'] && !executed.has(canonical(call)),
      );
      return calls.length ? done(choose(calls, detail)) : null;
    }
    case 'invented-argument': {
      const target = isObject(part) && isObject(part['arguments']) ? part['arguments'] : deepestObject(part);
      if (!target) return null;
      target[detail < 0.5 ? 'confidence' : 'force'] = detail < 0.5 ? 0.9 : true;
      return done(whole);
    }
    case 'missing-argument': {
      // Only what the schema requires: dropping an optional argument may be a valid, different call.
      if (isObject(part) && isObject(part['arguments'])) {
        const argumentsSchema = toolArgumentsSchema(context.schema, part['tool']);
        const required = requiredOf(argumentsSchema).filter((key) => key in (part['arguments'] as JsonObject));
        if (required.length) delete (part['arguments'] as JsonObject)[choose(required, detail)];
        else delete part['arguments'];
        return done(whole);
      }
      if (!isObject(part)) return null;
      // Without a schema to say what is required, any key will do.
      const keys = partSchema ? requiredOf(partSchema).filter((key) => key in part) : Object.keys(part);
      if (!keys.length) return null;
      delete part[choose(keys, detail)];
      return done(whole);
    }
    case 'value-not-allowed':
      return answerKey === null
        ? valueNotAllowed(whole, detail, context)
        : renamedEntry(whole, answerKey, detail, context);
    case 'repeated-call': {
      if (answerKey !== null || !context.executed.length || !isObject(whole)) return null;
      if (typeof whole['tool'] !== 'string' && typeof whole['answer'] !== 'string') return null;
      return done(structuredClone(choose(context.executed, detail)));
    }
    case 'wrong-judgement':
      return wrongJudgement(whole, part, detail, context) ? done(whole) : null;
  }
  return null;
}

/** Answers for a link that was never in the batch, in place of one that was. */
function renamedEntry(
  whole: Json,
  answerKey: string,
  detail: number,
  context: MistakeContext,
): { value: Json; answerKey: string } | null {
  if (!isObject(whole)) return null;
  const invented = unusedId(context, detail);
  const renamed: JsonObject = {};
  for (const [key, item] of Object.entries(whole)) renamed[key === answerKey ? invented : key] = item;
  return { value: renamed, answerKey: invented };
}

function valueNotAllowed(
  value: Json,
  detail: number,
  context: MistakeContext,
): { value: Json; answerKey: null } | null {
  const strings = stringSlots(value);
  const ids = strings.filter((slot) => /^L\d+$/.test(slot.get()));
  if (ids.length) {
    choose(ids, detail).set(unusedId(context, detail));
    return { value, answerKey: null };
  }
  const urls = strings.filter((slot) => /^https?:\/\//.test(slot.get()));
  if (urls.length) {
    choose(urls, detail).set('https://made-up-startup.example/');
    return { value, answerKey: null };
  }
  const idKeyed = strings.filter((slot) => slot.key.endsWith('_id'));
  if (idKeyed.length) {
    choose(idKeyed, detail).set('company-that-does-not-exist');
    return { value, answerKey: null };
  }
  // A decision list keyed by link id: answer for a link that was never in the batch.
  const keys = isObject(value) ? Object.keys(value).filter((key) => /^L\d+$/.test(key)) : [];
  if (!keys.length) return null;
  return { value: renamedEntry(value, choose(keys, detail), detail, context)!.value, answerKey: null };
}

/** A link id the conversation never mentions, so the run cannot have produced it. */
function unusedId(context: MistakeContext, detail: number): string {
  let number = 9000 + Math.floor(detail * 999);
  while (context.taken.has(`L${number}`)) number++;
  return `L${number}`;
}

/** A valid value, but the wrong one: a flipped verdict, another member of the same enum, an early answer. */
function wrongJudgement(whole: Json, part: Json, detail: number, context: MistakeContext): boolean {
  const booleans = booleanSlots(part);
  if (booleans.length) {
    const slot = choose(booleans, detail);
    slot.set(!slot.get());
    return true;
  }
  const enumSlots = stringSlots(part)
    .map((slot) => ({
      slot,
      options: enumFor(context.schema, whole, slot.key).filter((option) => option !== slot.get()),
    }))
    .filter((entry) => entry.options.length > 0);
  if (enumSlots.length) {
    const entry = choose(enumSlots, detail);
    entry.slot.set(choose(entry.options, 1 - detail));
    return true;
  }
  if (part !== whole || !isObject(whole)) return false;
  const early =
    typeof whole['tool'] === 'string' ? 'Done.' : typeof whole['answer'] === 'string' ? 'I found nothing to do.' : null;
  if (early === null) return false;
  for (const key of Object.keys(whole)) delete whole[key];
  whole['answer'] = early;
  return true;
}

/**
 * Calls of each tool the schema offers whose arguments can be filled validly from the schema
 * alone, each from its `const` or `enum`: the required arguments, or when none is required the
 * first argument with a fixed set of values (so that "look up" has something to look up), or no
 * arguments for a tool that takes none.
 */
function validCalls(schema: JsonObject | null, detail: number): JsonObject[] {
  const calls: JsonObject[] = [];
  for (const variant of variants(schema)) {
    const tool = propertySchema(variant, 'tool')?.['const'];
    if (typeof tool !== 'string') continue;
    const argumentsSchema = propertySchema(variant, 'arguments');
    const properties = isObject(argumentsSchema?.['properties']) ? argumentsSchema['properties'] : {};
    const fixed = (key: string): Json | undefined => {
      const property = properties[key];
      if (!isObject(property)) return undefined;
      if (property['const'] !== undefined) return property['const'];
      const options = property['enum'];
      return Array.isArray(options) && options.length ? choose(options, detail) : undefined;
    };
    const required = requiredOf(argumentsSchema);
    const wanted = required.length
      ? required
      : Object.keys(properties)
          .filter((key) => fixed(key) !== undefined)
          .slice(0, 1);
    if (!wanted.length && Object.keys(properties).length) continue;
    const values = wanted.map((key) => [key, fixed(key)] as const);
    if (values.some(([, value]) => value === undefined)) continue;
    calls.push({ tool, arguments: Object.fromEntries(values) as JsonObject });
  }
  return calls;
}

/** The calls answered with a `<tool_response>` so far, as the model wrote them. */
function executedCalls(request: ChatCompletionRequest): JsonObject[] {
  const done: JsonObject[] = [];
  const { messages } = request;
  for (let index = 0; index + 1 < messages.length; index++) {
    if (messages[index]!.role !== 'assistant' || !messages[index + 1]!.content.startsWith('<tool_response>')) continue;
    try {
      const call = JSON.parse(withoutThinkBlock(messages[index]!.content)) as Json;
      if (isObject(call)) done.push(call);
    } catch {
      // A turn that was not JSON cannot be called again.
    }
  }
  return done;
}

/**
 * The link ids the run has shown the model: in the schema and in every message but its own answers
 * and the complaints about them (a complaint names the id the model invented; that does not make
 * the id real, and a stubborn model invents the same one again).
 */
function takenIds(request: ChatCompletionRequest): Set<string> {
  const shown = request.messages
    .filter((message) => message.role !== 'assistant' && !message.content.startsWith('<tool_error>'))
    .map((message) => message.content);
  return new Set([...shown, request.response_format?.schema ?? ''].join('\n').match(/\bL\d+\b/g) ?? []);
}

function withoutThinkBlock(content: string): string {
  return content.startsWith(qwen3EmptyThinkBlock) ? content.slice(qwen3EmptyThinkBlock.length) : content;
}

function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function parseSchema(schemaText: string | undefined): JsonObject | null {
  if (!schemaText) return null;
  try {
    const schema = JSON.parse(schemaText) as Json;
    return isObject(schema) ? schema : null;
  } catch {
    return null;
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function choose<T>(items: readonly T[], fraction: number): T {
  return items[Math.min(items.length - 1, Math.floor(fraction * items.length))]!;
}

function variants(schema: JsonObject | null): JsonObject[] {
  if (!schema) return [];
  const list = schema['anyOf'] ?? schema['oneOf'];
  return Array.isArray(list) ? list.filter(isObject) : [schema];
}

function requiredOf(schema: JsonObject | null | undefined): string[] {
  const required = schema?.['required'];
  return Array.isArray(required) ? required.filter((key): key is string => typeof key === 'string') : [];
}

function propertySchema(schema: JsonObject | null, key: string): JsonObject | null {
  const properties = schema?.['properties'];
  const property = isObject(properties) ? properties[key] : undefined;
  return isObject(property) ? property : null;
}

function toolArgumentsSchema(schema: JsonObject | null, tool: Json | undefined): JsonObject | null {
  for (const variant of variants(schema)) {
    const toolSchema = propertySchema(variant, 'tool');
    if (toolSchema && toolSchema['const'] === tool) return propertySchema(variant, 'arguments');
  }
  return null;
}

/** The enum a string under `key` was drawn from, looked up in the schema of the chosen tool. */
function enumFor(schema: JsonObject | null, value: Json, key: string): string[] {
  const tool = isObject(value) ? value['tool'] : undefined;
  const found: string[] = [];
  const visit = (node: Json | undefined, underKey: string | null) => {
    if (Array.isArray(node)) node.forEach((item) => visit(item, underKey));
    if (!isObject(node)) return;
    if (underKey === key && Array.isArray(node['enum'])) {
      for (const option of node['enum']) if (typeof option === 'string') found.push(option);
    }
    for (const [childKey, child] of Object.entries(node)) {
      if (childKey === 'properties' && isObject(child)) {
        for (const [property, sub] of Object.entries(child)) visit(sub, property);
      } else if (childKey !== 'properties') {
        visit(child, childKey === 'items' ? underKey : null);
      }
    }
  };
  for (const variant of variants(schema)) {
    const toolSchema = propertySchema(variant, 'tool');
    if (typeof tool === 'string' && toolSchema && toolSchema['const'] !== tool) continue;
    visit(variant, null);
  }
  return [...new Set(found)];
}

interface Slot<T> {
  key: string;
  get(): T;
  set(next: T): void;
}

function slots<T extends Json>(value: Json, test: (item: Json) => item is T): Slot<T>[] {
  const found: Slot<T>[] = [];
  const visit = (node: Json, key: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) =>
        test(item)
          ? found.push({ key, get: () => node[index] as T, set: (next) => (node[index] = next) })
          : visit(item, key),
      );
    } else if (isObject(node)) {
      for (const [childKey, child] of Object.entries(node)) {
        if (test(child)) {
          found.push({ key: childKey, get: () => node[childKey] as T, set: (next) => (node[childKey] = next) });
        } else {
          visit(child, childKey);
        }
      }
    }
  };
  visit(value, '');
  return found;
}

const stringSlots = (value: Json) =>
  slots(value, (item): item is string => typeof item === 'string').filter((slot) => slot.key !== 'tool');
const booleanSlots = (value: Json) => slots(value, (item): item is boolean => typeof item === 'boolean');

function deepestObject(value: Json): JsonObject | null {
  let found: JsonObject | null = null;
  const visit = (node: Json) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      found = node;
      Object.values(node).forEach(visit);
    }
  };
  visit(value);
  return found;
}
