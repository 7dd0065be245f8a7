/**
 * Berkeley Function-Calling Leaderboard items, asked the way Sift asks its own tools: the functions
 * are listed with the JSON Schema of their arguments, and the answer is constrained to
 * `{"calls": [{"tool", "arguments"}...]}` — or `{"answer": ...}` when no function fits, which is
 * how an irrelevance item is passed. The data ships in `data/bfcl-subset.json`, lines copied
 * unchanged from BFCL v4 (Apache-2.0, see `data/README.md`).
 */
import type { TSchema } from 'typebox';
import type { ChatMessage } from '../engines/engine.ts';
import { AnswerSchema, callSchemaOf } from '../agent/tool-calls.ts';
import type { AnswerCall, CheckCategory, FunctionDoc, ModelCall, ParamDoc } from './ast-checker.ts';
import { parsePyJson, type PyValue } from './py-json.ts';

export const bfclCategories = ['simple', 'multiple', 'parallel', 'irrelevance'] as const;
export type BfclCategory = (typeof bfclCategories)[number];

/** BFCL v4's file for each category (`simple` is `simple_python` since v4). */
export const bfclFiles: Record<BfclCategory, string> = {
  simple: 'BFCL_v4_simple_python.json',
  multiple: 'BFCL_v4_multiple.json',
  parallel: 'BFCL_v4_parallel.json',
  irrelevance: 'BFCL_v4_irrelevance.json',
};

/** One BFCL entry; the benchmark ships four categories, the checker's evaluation reads all five. */
export interface BfclEntry<C extends CheckCategory = BfclCategory> {
  id: string;
  category: C;
  /** Part of the quick benchmark (always also part of the full one). */
  quick: boolean;
  /** The user's turn. */
  question: ChatMessage[];
  functions: FunctionDoc[];
  /** BFCL's possible answer: one entry per call due; empty for irrelevance. */
  answer: AnswerCall[];
}

export type BfclItem = BfclEntry<BfclCategory>;

/** The shipped subset: BFCL's own lines, so numbers keep their Python types (`5.0` vs `5`). */
export interface BfclSubset {
  format: 'sift-bfcl-subset';
  version: 1;
  source: { repository: string; commit: string; folder: string; licence: string; files: Record<string, string> };
  seed: number;
  items: Array<{ category: BfclCategory; quick: boolean; question: string; answer: string | null }>;
}

interface QuestionRow {
  id: string;
  question: Array<Array<{ role: string; content: string }>>;
  function: FunctionDoc[];
}

/** One BFCL entry from its question line and (except for irrelevance) its possible-answer line. */
export function parseBfclEntry<C extends CheckCategory>(
  category: C,
  questionLine: string,
  answerLine: string | null,
  quick = false,
): BfclEntry<C> {
  const row = JSON.parse(questionLine) as QuestionRow;
  const turn = row.question[0];
  if (!turn || row.question.length !== 1)
    throw new Error(`${row.id}: expected one turn, found ${row.question.length}.`);
  let answer: AnswerCall[] = [];
  if (answerLine !== null) {
    const answerRow = parsePyJson(answerLine) as { id: string; ground_truth: AnswerCall[] };
    if (answerRow.id !== row.id) throw new Error(`Answer ${answerRow.id} does not belong to question ${row.id}.`);
    answer = answerRow.ground_truth;
  } else if (category !== 'irrelevance') {
    throw new Error(`${row.id}: a ${category} item needs its possible answer.`);
  }
  // Sift's prompt puts its own system message first; the engines accept no other system message.
  const question = turn.map((message): ChatMessage => {
    if (message.role !== 'user') throw new Error(`${row.id}: a question message has role ${message.role}.`);
    return { role: 'user', content: message.content };
  });
  return { id: row.id, category, quick, question, functions: row.function, answer };
}

export function readBfclSubset(subset: BfclSubset): BfclItem[] {
  if (subset.format !== 'sift-bfcl-subset' || subset.version !== 1) {
    throw new Error('The benchmark data is not a BFCL subset this version of Sift can read.');
  }
  return subset.items.map((entry) => parseBfclEntry(entry.category, entry.question, entry.answer, entry.quick));
}

type JsonSchema = { [key: string]: unknown };

/** BFCL's type vocabulary (Python's) turned into JSON Schema, which XGrammar and the validator speak. */
export function parameterSchema(param: ParamDoc): JsonSchema {
  const schema: JsonSchema = {};
  switch (param.type) {
    case 'string':
    case 'boolean':
    case 'integer':
      schema['type'] = param.type;
      break;
    case 'float':
      schema['type'] = 'number';
      break;
    case 'array':
    case 'tuple':
      schema['type'] = 'array';
      if (param.items) schema['items'] = parameterSchema(param.items);
      break;
    case 'dict':
      Object.assign(schema, objectSchema(param.properties, param.required));
      break;
    case 'any':
      break;
    default:
      throw new Error(`BFCL type ${param.type} has no JSON Schema counterpart.`);
  }
  for (const key of ['enum', 'minimum', 'maximum', 'minItems', 'maxItems'] as const) {
    if (param[key] !== undefined) schema[key] = param[key];
  }
  // `default`, `optional` and `format` are notes for the reader in BFCL's docs (some contradict the
  // type), so they go into the description instead of constraining the grammar.
  const notes = [param.description, param['default'] !== undefined ? `Default: ${String(param['default'])}.` : '']
    .filter(Boolean)
    .join(' ');
  if (notes) schema['description'] = notes;
  return schema;
}

function objectSchema(properties: Record<string, ParamDoc> | undefined, required: string[] | undefined): JsonSchema {
  if (!properties) return { type: 'object' };
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(properties).map(([key, param]) => [key, parameterSchema(param)])),
    required: (required ?? []).filter((key) => key in properties),
    // BFCL's checker fails a call with a parameter the function does not declare.
    additionalProperties: false,
  };
}

export function argumentsSchema(doc: FunctionDoc): JsonSchema {
  return objectSchema(doc.parameters.properties, doc.parameters.required);
}

/** The most calls one answer may hold: BFCL's parallel items ask for up to 8. */
export const maxCallsPerAnswer = 10;

/** Gate 1's schema: calls to the listed functions, or an answer saying none fits. */
export function bfclTurnSchema(functions: readonly FunctionDoc[]): TSchema {
  return {
    anyOf: [
      {
        type: 'object',
        required: ['calls'],
        additionalProperties: false,
        properties: {
          calls: {
            type: 'array',
            minItems: 1,
            maxItems: maxCallsPerAnswer,
            items: { anyOf: functions.map((doc) => callSchemaOf(doc.name, argumentsSchema(doc))) },
          },
        },
      },
      AnswerSchema,
    ],
  } as unknown as TSchema;
}

export function bfclSystemPrompt(functions: readonly FunctionDoc[]): string {
  return [
    "You carry out the user's request by calling functions.",
    'Functions (each with the JSON Schema of its arguments):',
    ...functions.map(
      (doc) => `- ${doc.name}: ${doc.description ?? ''}\n  arguments: ${JSON.stringify(argumentsSchema(doc))}`,
    ),
    'Reply with one JSON object only: {"calls": [{"tool": "<name>", "arguments": {...}}]} with every call the request needs (one per item when it asks for several), or {"answer": "<one sentence>"} when no function can do what is asked.',
  ].join('\n');
}

export function bfclMessages(item: Pick<BfclItem, 'functions' | 'question'>): ChatMessage[] {
  return [{ role: 'system', content: bfclSystemPrompt(item.functions) }, ...item.question];
}

/** The calls in a schema-valid turn; an answer is no call. */
export function readBfclCalls(value: PyValue): ModelCall[] {
  const turn = value as { calls?: Array<{ tool: string; arguments: Record<string, PyValue> }> };
  return (turn.calls ?? []).map((call) => ({ name: call.tool, arguments: call.arguments }));
}
