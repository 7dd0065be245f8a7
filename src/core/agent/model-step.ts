/**
 * One model decision under the four gates. The engine's output is (1) constrained by the JSON
 * schema in `response_format` (and its compact grammar, for engines that take one), (2) parsed and
 * validated against the same schema, (3) checked against the run's real state by the caller.
 * Gate 4 (policy: confirmation, no network) belongs to whoever executes the decision. A rejected
 * output is never used: the exact complaint (which field, which value, why) goes back to the model
 * once, then the question goes to the fallback engine, and when that fails too the caller decides
 * deterministically or reports the step undecided.
 */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type {
  ChatCompletion,
  ChatEngine,
  ChatMessage,
  ChatCompletionRequest,
  JsonSchemaResponseFormat,
} from '../engines/engine.ts';
import { compactJsonGrammar, UnsupportedSchemaError } from './json-grammar.ts';
import { parseModelOutput } from './model-output.ts';
import { completionFields, traceEngine, type GateVerdict, type TraceRecorder, type TraceStepKind } from './trace.ts';

/**
 * One repair: a small model that repeats a mistake on a task repeats it after a second complaint
 * just as often, and every repair grows the conversation; the caller's deterministic answer is
 * worth more than a third try.
 */
export const maxRepairs = 1;

export interface StepEngines {
  primary: ChatEngine | null;
  fallback?: ChatEngine | null;
}

export interface StateCheck<T> {
  /** Why the output cannot be used as is; empty when it passes gate 3. */
  errors: string[];
  /** The accepted decision; absent while anything is still pending. */
  value?: T;
}

export interface ModelStepSpec<T> {
  kind: TraceStepKind;
  label: string;
  messages: ChatMessage[];
  /** Asked before every attempt: a step that accepts part of an answer narrows it for the repair. */
  schema(): TSchema;
  maxTokens(): number;
  /** Extra schema errors, clearer than the generic ones (which variant of a union was meant). */
  explain?(value: unknown): string[];
  /** Gate 3. Runs only on output that passed gates 1 and 2. */
  check(value: unknown): Promise<StateCheck<T>> | StateCheck<T>;
  temperature?: number;
  seed?: number;
  /**
   * The caller can ask a smaller question (a judge batch splits): an answer cut at `max_tokens` or
   * a prompt past the context window ends the step at once instead of a repair, which would append
   * to the same conversation and make it longer still.
   */
  splitsOnOverflow?: boolean;
  /** Repairs allowed before the fallback engine; `maxRepairs` unless the benchmark switches them off. */
  repairs?: number;
}

export type StepOutcome<T> =
  | { ok: true; value: T; stepIndex: number; raw: string }
  | { ok: false; errors: string[]; stepIndex: number | null; overflow?: boolean };

/** WebLLM's error for a prompt longer than the model's context window (by name, or by its message). */
export function isContextWindowError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'ContextWindowSizeExceededError' || /context window size/i.test(error.message))
  );
}

export class AbortedError extends Error {
  override name = 'AbortError';
  constructor() {
    super('The run was cancelled.');
  }
}

export async function runModelStep<T>(
  spec: ModelStepSpec<T>,
  engines: StepEngines,
  recorder: TraceRecorder,
  signal?: AbortSignal,
): Promise<StepOutcome<T>> {
  const chain = [engines.primary, engines.fallback].filter((engine): engine is ChatEngine => engine != null);
  let lastErrors: string[] = ['no model is loaded'];
  let lastIndex: number | null = null;
  for (const [engineIndex, engine] of chain.entries()) {
    let messages = spec.messages;
    let repairOf: number | null = null;
    for (let attempt = 0; attempt <= (spec.repairs ?? maxRepairs); attempt++) {
      if (signal?.aborted) throw new AbortedError();
      const schema = spec.schema();
      const request: ChatCompletionRequest & { stream: false } = {
        messages,
        response_format: responseFormatFor(schema),
        max_tokens: spec.maxTokens(),
        temperature: spec.temperature ?? 0,
        stream: false,
        extra_body: { enable_thinking: false },
      };
      if (spec.seed !== undefined) request.seed = spec.seed + attempt;
      const startedAt = recorder.now();
      let completion: ChatCompletion | null = null;
      let engineError: string | null = null;
      let overflow = false;
      try {
        completion = await engine.chat.completions.create(request, signal ? { signal } : undefined);
      } catch (error) {
        if (signal?.aborted) throw new AbortedError();
        engineError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        overflow = isContextWindowError(error);
      }
      const raw = completion?.choices[0].message.content ?? '';
      const finish = completion?.choices[0].finish_reason ?? 'error';
      overflow ||= finish === 'length';
      const gates: GateVerdict[] = [];
      const errors: string[] = [];
      let repairs: string[] = [];
      let accepted: StateCheck<T> | null = null;
      let parsedValue: unknown = undefined;
      if (engineError || finish !== 'stop') {
        const detail = engineError
          ? `the engine failed: ${engineError}`
          : finish === 'length'
            ? `the output was cut off at ${request.max_tokens} tokens`
            : `generation ended with "${finish}"`;
        gates.push({ gate: 'constrained', ok: false, detail });
        errors.push(finish === 'length' ? 'Your answer was cut off: answer shorter, JSON only.' : detail);
      } else {
        gates.push({ gate: 'constrained', ok: true, detail: 'output constrained by the JSON schema and complete' });
        const parsed = parseModelOutput(raw);
        if (!parsed.ok) {
          gates.push({ gate: 'schema', ok: false, detail: parsed.error });
          errors.push(`Your answer is not valid JSON (${parsed.error}).`);
        } else {
          repairs = parsed.repairs;
          parsedValue = parsed.value;
          const problems = Value.Check(schema, parsed.value)
            ? []
            : explainSchemaErrors(schema, parsed.value, spec.explain);
          if (problems.length) {
            gates.push({ gate: 'schema', ok: false, detail: problems.join('; ') });
            errors.push(...problems);
          } else {
            gates.push({
              gate: 'schema',
              ok: true,
              detail: repairs.length ? `valid after a tolerant repair (${repairs.join(', ')})` : 'valid',
            });
            accepted = await spec.check(parsed.value);
            gates.push({
              gate: 'state',
              ok: accepted.errors.length === 0,
              detail: accepted.errors.length ? accepted.errors.join('; ') : 'consistent with the run',
            });
            errors.push(...accepted.errors);
          }
        }
      }
      const step = recorder.record({
        kind: spec.kind,
        label: attempt ? `${spec.label} (repair ${attempt})` : spec.label,
        startedAt,
        ...(completion ? completionFields(engine.info, completion) : { engine: traceEngine(engine.info) }),
        attempt,
        repairOf,
        escalated: engineIndex > 0,
        finishReason: finish,
        gates,
        repairs,
        result: accepted?.value !== undefined ? accepted.value : (parsedValue ?? null),
        error: errors.length ? errors.join('; ') : null,
      });
      lastIndex = step.index;
      if (errors.length === 0 && accepted?.value !== undefined) {
        return { ok: true, value: accepted.value, stepIndex: step.index, raw };
      }
      lastErrors = errors.length ? errors : ['incomplete answer'];
      if (overflow && spec.splitsOnOverflow) return { ok: false, errors: lastErrors, stepIndex: step.index, overflow };
      repairOf = step.index;
      messages = [
        ...messages,
        { role: 'assistant', content: raw || '(no output)' },
        { role: 'user', content: repairRequest(lastErrors) },
      ];
    }
  }
  return { ok: false, errors: lastErrors, stepIndex: lastIndex };
}

/**
 * The schema, and the same constraint as a grammar with no free whitespace for engines that take
 * grammars (WebLLM), so a small model cannot spend `max_tokens` on padding. Every schema of Sift's
 * own tools and answers has one (xgrammar.test.ts holds them to XGrammar); a schema from elsewhere
 * that json-grammar.ts cannot express (a benchmark's BFCL function) goes as the schema alone, which
 * constrains the same values and leaves the whitespace free.
 */
export function responseFormatFor(schema: TSchema): JsonSchemaResponseFormat {
  const text = JSON.stringify(schema);
  try {
    return { type: 'json_object', schema: text, grammar: compactJsonGrammar(JSON.parse(text)) };
  } catch (error) {
    if (error instanceof UnsupportedSchemaError) return { type: 'json_object', schema: text };
    throw error;
  }
}

export function repairRequest(errors: string[]): string {
  return `<tool_error>\n${errors.map((error) => `- ${error}`).join('\n')}\n</tool_error>\nNothing was done. Answer again with corrected JSON only.`;
}

/** Schema errors in words a model (and a person reading the trace) can act on, at most four. */
export function explainSchemaErrors(schema: TSchema, value: unknown, explain?: (value: unknown) => string[]): string[] {
  const specific = explain?.(value) ?? [];
  if (specific.length) return specific.slice(0, 4);
  const messages: string[] = [];
  for (const error of Value.Errors(schema, value)) {
    if (error.keyword === 'anyOf' || error.keyword === 'boolean') continue;
    const where = error.instancePath || '(top level)';
    const params = error.params as Record<string, unknown>;
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${String(params['additionalProperties'])})`
        : error.keyword === 'required'
          ? ` (${String(params['requiredProperties'])})`
          : error.keyword === 'enum'
            ? ` (allowed: ${(params['allowedValues'] as unknown[] | undefined)?.slice(0, 12).join(', ')})`
            : '';
    const got = offendingValue(value, error.instancePath, error.keyword);
    const message = `${where}: ${error.message}${got}${extra}`;
    if (!messages.includes(message)) messages.push(message);
    if (messages.length === 4) break;
  }
  return messages.length ? messages : ['does not match the schema'];
}

/**
 * The value a schema error is about, quoted so the model sees what it wrote: `, got "yes"`. Empty
 * for a missing or extra key (the error names the key) and for a whole object or array.
 */
function offendingValue(root: unknown, pointer: string, keyword: string): string {
  if (keyword === 'required' || keyword === 'additionalProperties') return '';
  let value: unknown = root;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object' || !(key in value)) return '';
    value = (value as Record<string, unknown>)[key];
  }
  if (value !== null && typeof value === 'object') return '';
  const text = JSON.stringify(value) ?? String(value);
  return `, got ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
