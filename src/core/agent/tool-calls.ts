/**
 * The shape of a model's turn when it plans over tools — `{"tool", "arguments"}` or `{"answer"}` —
 * and the per-turn schema: the union of every tool's schema, narrowed to the ids that exist right
 * now, so the grammar itself cannot produce a link id that was never extracted.
 */
import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { explainSchemaErrors } from './model-step.ts';
import { toolByName, tools, type ToolDefinition, type ToolState } from './tools.ts';

export interface ToolCall {
  tool: string;
  arguments: Record<string, unknown>;
}

export type PlannedTurn = { kind: 'call'; call: ToolCall } | { kind: 'answer'; answer: string };

export const AnswerSchema = Type.Object(
  { answer: Type.String({ minLength: 1, maxLength: 600 }) },
  { additionalProperties: false },
);

/** The largest id list put into a grammar: beyond it, gate 3 alone checks ids. */
const maxEnumIds = 300;

type JsonSchema = { [key: string]: unknown };

/** The JSON Schema of one tool's call, with id fields narrowed to the ids the run knows. */
export function callSchema(tool: ToolDefinition, state: ToolState | null): TSchema {
  const parameters = JSON.parse(JSON.stringify(tool.parameters)) as JsonSchema;
  if (state) narrowIds(parameters, state);
  return callSchemaOf(tool.name, parameters);
}

/** `{"tool": name, "arguments": ...}`: the shape of every call a model makes, Sift's tools or a benchmark's. */
export function callSchemaOf(name: string, parameters: object): TSchema {
  return {
    type: 'object',
    required: ['tool', 'arguments'],
    properties: { tool: { type: 'string', const: name }, arguments: parameters },
    additionalProperties: false,
  } as unknown as TSchema;
}

/** Gate 1's schema for one planning turn. */
export function turnSchema(state: ToolState | null, allowed: readonly ToolDefinition[] = tools): TSchema {
  return { anyOf: [...allowed.map((tool) => callSchema(tool, state)), AnswerSchema] } as unknown as TSchema;
}

function narrowIds(schema: JsonSchema, state: ToolState): void {
  const properties = schema['properties'] as Record<string, JsonSchema> | undefined;
  if (!properties) return;
  const linkIds = [...state.links.keys()];
  const companyIds = [...state.companies.keys()];
  const narrowed = (ids: string[], base: JsonSchema): JsonSchema =>
    ids.length > 0 && ids.length <= maxEnumIds ? { type: 'string', enum: ids, ...pick(base, 'description') } : base;
  for (const [key, property] of Object.entries(properties)) {
    if (key === 'link_id') properties[key] = narrowed(linkIds, property);
    if (key === 'company_id') properties[key] = narrowed(companyIds, property);
    if (key === 'link_ids' && property['items']) property['items'] = narrowed(linkIds, property['items'] as JsonSchema);
  }
}

function pick(schema: JsonSchema, key: string): JsonSchema {
  return key in schema ? { [key]: schema[key] } : {};
}

/** Reads a schema-valid turn. */
export function readTurn(value: unknown): PlannedTurn {
  const record = value as { tool?: string; arguments?: Record<string, unknown>; answer?: string };
  if (typeof record.answer === 'string') return { kind: 'answer', answer: record.answer };
  return { kind: 'call', call: { tool: record.tool ?? '', arguments: record.arguments ?? {} } };
}

/** Schema errors for a turn, against the variant the model meant (its `tool`), not the whole union. */
export function explainTurn(value: unknown, state: ToolState | null): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ['answer with one JSON object: {"tool": ..., "arguments": {...}} or {"answer": ...}'];
  }
  const record = value as Record<string, unknown>;
  if ('answer' in record && !('tool' in record)) return explainSchemaErrors(AnswerSchema, value);
  if (typeof record['tool'] !== 'string') return ['"tool" must name one of the tools'];
  const tool = toolByName(record['tool']);
  if (!tool) return [`there is no tool "${record['tool']}"; the tools are ${tools.map((t) => t.name).join(', ')}`];
  const schema = callSchema(tool, state);
  return Value.Check(schema, value) ? [] : explainSchemaErrors(schema, value).map((error) => `${tool.name} ${error}`);
}

/** Key order and whitespace never make two calls different (loop detection, voting). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The tool list as the system prompt states it: one compact line per tool. */
export function describeTools(list: readonly ToolDefinition[] = tools): string {
  return list.map((tool) => `- ${tool.name} ${describeParameters(tool.parameters)}: ${tool.description}`).join('\n');
}

function describeParameters(schema: TSchema): string {
  const properties = (schema as { properties?: Record<string, JsonSchema> }).properties ?? {};
  const required = new Set((schema as { required?: string[] }).required ?? []);
  const parts = Object.entries(properties).map(([key, property]) => {
    const type = Array.isArray(property['enum'])
      ? (property['enum'] as string[]).join('|')
      : property['type'] === 'array'
        ? `${String((property['items'] as JsonSchema | undefined)?.['type'] ?? 'value')}[]`
        : String(property['type'] ?? 'value');
    return `${key}${required.has(key) ? '' : '?'}: ${type}`;
  });
  return `{${parts.join(', ')}}`;
}
