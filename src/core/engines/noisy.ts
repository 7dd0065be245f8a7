/**
 * A chat engine that is right except when it is not: it wraps an oracle (an engine that always
 * answers correctly) and, at a seeded rate `p`, turns the oracle's answer into one of the mistakes
 * small models really make. The agent's benchmark runs the same jobs at several rates to show what
 * the gates catch. Mistakes are chosen from the request's own JSON schema, so they are plausible:
 * a tool that exists but is the wrong one, an id that exists but is the wrong one, and so on.
 */
import type {
  ChatCompletion,
  ChatCompletionRequest,
  ChatEngine,
  EngineInfo,
  FinishReason,
  RequestOptions,
} from './engine.ts';
import { collectStream, oneShotChat } from './engine.ts';

export const noiseKinds = [
  'wrong-tool',
  'invented-argument',
  'missing-argument',
  'malformed-json',
  'truncated-json',
  'smart-quotes',
  'value-not-allowed',
  'wrong-judgement',
] as const;
export type NoiseKind = (typeof noiseKinds)[number];

export interface NoiseRecord {
  request: number;
  kind: NoiseKind;
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

export interface NoisyEngineOptions {
  /** Probability that one answer is wrong, 0..1. */
  rate: number;
  seed: number;
  /** Restricts the mistakes made (all kinds by default). */
  kinds?: readonly NoiseKind[];
  info?: Partial<EngineInfo>;
}

export class NoisyEngine implements ChatEngine {
  readonly info: EngineInfo;
  /** What was changed, request by request: lets a test or a benchmark say which mistake broke a run. */
  readonly noise: NoiseRecord[] = [];
  #oracle: ChatEngine;
  #random: () => number;
  #rate: number;
  #kinds: readonly NoiseKind[];
  #requests = 0;

  constructor(oracle: ChatEngine, options: NoisyEngineOptions) {
    if (!(options.rate >= 0 && options.rate <= 1))
      throw new RangeError(`Noise rate must be 0..1, got ${options.rate}.`);
    this.#oracle = oracle;
    this.#rate = options.rate;
    this.#random = seededRandom(options.seed);
    this.#kinds = options.kinds?.length ? options.kinds : noiseKinds;
    this.info = { ...oracle.info, id: `noisy(${options.rate}):${oracle.info.id}`, ...options.info };
  }

  readonly chat = oneShotChat((request, options) => this.#complete(request, options));

  async #complete(request: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion> {
    const index = this.#requests++;
    const truth = await this.#oracle.chat.completions.create({ ...request, stream: false }, options);
    // Both draws happen on every request so that one request's noise does not shift the next one's.
    const roll = this.#random();
    const pick = this.#random();
    const detail = this.#random();
    if (roll >= this.#rate) return truth;
    const [choice] = truth.choices;
    const mutated = mutate(choice.message.content, request.response_format?.schema, this.#kinds, pick, detail);
    if (!mutated) return truth;
    this.noise.push({ request: index, kind: mutated.kind, before: choice.message.content, after: mutated.content });
    return {
      ...truth,
      choices: [{ index: 0, message: { role: 'assistant', content: mutated.content }, finish_reason: mutated.finish }],
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

/**
 * Applies one mistake of the picked kind, or of the next kind that applies to this output (a
 * decision list has no tool to get wrong). Returns null only when nothing applies.
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
  const schema = parseSchema(schemaText);
  const start = Math.floor(pick * kinds.length);
  for (let offset = 0; offset < kinds.length; offset++) {
    const kind = kinds[(start + offset) % kinds.length]!;
    const result = applyKind(kind, content, structuredClone(parsed), schema, detail);
    if (result !== null && result.content !== content) return { kind, ...result };
  }
  return null;
}

function applyKind(
  kind: NoiseKind,
  content: string,
  value: Json,
  schema: JsonObject | null,
  detail: number,
): { content: string; finish: FinishReason } | null {
  const text = (json: Json) => ({ content: JSON.stringify(json), finish: 'stop' as FinishReason });
  switch (kind) {
    case 'wrong-tool': {
      if (!isObject(value) || typeof value['tool'] !== 'string') return null;
      const others = toolNames(schema).filter((name) => name !== value['tool']);
      value['tool'] = others.length ? choose(others, detail) : `${value['tool']}_v2`;
      return text(value);
    }
    case 'invented-argument': {
      const target = isObject(value) && isObject(value['arguments']) ? value['arguments'] : deepestObject(value);
      if (!target) return null;
      target[detail < 0.5 ? 'confidence' : 'force'] = detail < 0.5 ? 0.9 : true;
      return text(value);
    }
    case 'missing-argument': {
      const target = isObject(value) && isObject(value['arguments']) ? value['arguments'] : deepestObject(value);
      if (!target) return null;
      const keys = Object.keys(target);
      if (keys.length === 0) return null;
      delete target[choose(keys, detail)];
      return text(value);
    }
    case 'malformed-json': {
      const colon = content.indexOf('":');
      if (colon < 0) return null;
      // A missing colon and a dangling brace: nothing a tolerant parser may guess back.
      return { content: `${content.slice(0, colon + 1)} ${content.slice(colon + 2)}`, finish: 'stop' };
    }
    case 'truncated-json': {
      if (content.length < 4) return null;
      const cut = Math.max(1, Math.floor(content.length * (0.3 + 0.6 * detail)));
      return { content: content.slice(0, Math.min(cut, content.length - 1)), finish: 'length' };
    }
    case 'smart-quotes': {
      let open = true;
      const curly = content.replace(/"/g, () => {
        const quote = open ? '\u201c' : '\u201d';
        open = !open;
        return quote;
      });
      return { content: `${curly}${detail < 0.5 ? '\n' : ' <|im_end|>'}`, finish: 'stop' };
    }
    case 'value-not-allowed': {
      const strings = stringSlots(value);
      const ids = strings.filter((slot) => /^L\d+$/.test(slot.get()));
      if (ids.length) {
        choose(ids, detail).set(`L${900 + Math.floor(detail * 99)}`);
        return text(value);
      }
      const urls = strings.filter((slot) => /^https?:\/\//.test(slot.get()));
      if (urls.length) {
        choose(urls, detail).set('https://made-up-startup.example/');
        return text(value);
      }
      const idKeyed = strings.filter((slot) => slot.key.endsWith('_id'));
      if (idKeyed.length) {
        choose(idKeyed, detail).set('company-that-does-not-exist');
        return text(value);
      }
      // A decision list keyed by link id: answer for a link that was never in the batch.
      if (isObject(value)) {
        const keys = Object.keys(value).filter((key) => /^L\d+$/.test(key));
        if (keys.length) {
          const key = choose(keys, detail);
          value[`L${900 + Math.floor(detail * 99)}`] = value[key]!;
          delete value[key];
          return text(value);
        }
      }
      return null;
    }
    case 'wrong-judgement': {
      const booleans = booleanSlots(value);
      if (booleans.length) {
        const slot = choose(booleans, detail);
        slot.set(!slot.get());
        return text(value);
      }
      // A valid value, but the wrong one: another member of the same enum.
      const enumSlots = stringSlots(value)
        .map((slot) => ({ slot, options: enumFor(schema, value, slot.key).filter((option) => option !== slot.get()) }))
        .filter((entry) => entry.options.length > 0);
      if (enumSlots.length) {
        const entry = choose(enumSlots, detail);
        entry.slot.set(choose(entry.options, 1 - detail));
        return text(value);
      }
      if (isObject(value) && typeof value['tool'] === 'string') return text({ answer: 'Done.' });
      if (isObject(value) && typeof value['answer'] === 'string') return text({ answer: 'I found nothing to do.' });
      return null;
    }
  }
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

function toolNames(schema: JsonObject | null): string[] {
  const names: string[] = [];
  for (const variant of variants(schema)) {
    const properties = variant['properties'];
    const tool = isObject(properties) ? properties['tool'] : undefined;
    if (isObject(tool) && typeof tool['const'] === 'string') names.push(tool['const']);
  }
  return names;
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
    const properties = variant['properties'];
    const toolSchema = isObject(properties) ? properties['tool'] : undefined;
    if (typeof tool === 'string' && isObject(toolSchema) && toolSchema['const'] !== tool) continue;
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
