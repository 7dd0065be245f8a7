/**
 * Scores function calls the way the Berkeley Function-Calling Leaderboard's AST checker does
 * (`bfcl_eval/eval_checker/ast_eval/ast_checker.py`, Python rules), written afresh for Sift:
 *
 * - the function name must match; every required parameter must be there; a parameter the function
 *   does not declare, or the answer does not list, fails the call;
 * - types follow Python after `json.loads`: int, float (an int is accepted for a float), str, bool,
 *   list (also for `tuple`), dict; arrays are checked one level deep;
 * - values must be among the answer's accepted values: strings compared without case, spaces or
 *   `,./-_*^`; dicts key by key; lists element by element;
 * - `""` among a parameter's accepted values means it may be left out; leaving out any other
 *   answer parameter fails;
 * - simple and multiple want exactly one call; parallel wants as many calls as the answer, matched
 *   in any order; irrelevance passes only when there is no call.
 *
 * One deliberate difference: parallel calls are matched by a full bipartite matching, where BFCL
 * matches greedily. Both accept every output BFCL accepts; ours also accepts the rare output whose
 * calls each fit some answer but that the greedy order pairs up wrongly.
 */
import { PyFloat, pyIn, pyTypeOf, type PyType, type PyValue } from './py-json.ts';

export interface ParamDoc {
  /** BFCL's vocabulary (`integer`, `float`, `dict`, `tuple`, `any`...) or JSON Schema's (`number`, `object`). */
  type: string;
  items?: ParamDoc;
  properties?: Record<string, ParamDoc>;
  required?: string[];
  description?: string;
  enum?: unknown[];
  [key: string]: unknown;
}

export interface FunctionDoc {
  name: string;
  description?: string;
  parameters: { type: string; properties: Record<string, ParamDoc>; required?: string[] };
}

/** One parameter's accepted values; `""` means it may be omitted. */
export type AcceptedValues = PyValue[];
/** `{function name: {parameter: accepted values}}`: one call of a BFCL possible answer. */
export type AnswerCall = Record<string, Record<string, AcceptedValues>>;

export interface ModelCall {
  name: string;
  arguments: Record<string, PyValue>;
}

export type CheckCategory = 'simple' | 'multiple' | 'parallel' | 'parallel_multiple' | 'irrelevance';

export interface CheckResult {
  valid: boolean;
  /** Why not, in words; absent when valid. */
  error?: string;
  /** BFCL's error family (`simple_function_checker:missing_required`...), for tallies. */
  errorType?: string;
}

const ok: CheckResult = { valid: true };
const fail = (errorType: string, error: string): CheckResult => ({ valid: false, errorType, error });

/** BFCL's PYTHON_TYPE_MAPPING, plus JSON Schema's names for Sift's own tools. */
export const pythonTypes: Record<string, PyType> = {
  string: 'str',
  integer: 'int',
  float: 'float',
  number: 'float',
  boolean: 'bool',
  array: 'list',
  tuple: 'list',
  dict: 'dict',
  object: 'dict',
  any: 'str',
};
const nestedChecked = new Set(['array', 'tuple']);

export function checkCalls(
  category: CheckCategory,
  functions: readonly FunctionDoc[],
  calls: readonly ModelCall[],
  answer: readonly AnswerCall[],
): CheckResult {
  if (category === 'irrelevance') {
    return calls.length === 0 ? ok : fail('irrelevance:called', `${calls.length} call(s) where no function fits`);
  }
  if (category === 'parallel' || category === 'parallel_multiple') return checkParallel(functions, calls, answer);
  if (calls.length !== answer.length || calls.length !== 1) {
    return fail(`${category}_function_checker:wrong_count`, `Wrong number of functions: ${calls.length}, expected 1.`);
  }
  return checkCall(functions, calls[0]!, answer[0]!);
}

function findFunction(functions: readonly FunctionDoc[], name: string): FunctionDoc | undefined {
  return functions.find((doc) => doc.name === name);
}

function answerOf(answer: AnswerCall): [string, Record<string, AcceptedValues>] {
  const [entry] = Object.entries(answer);
  if (!entry) throw new Error('A possible answer names no function.');
  return entry;
}

/** BFCL's simple_function_checker: one call against one answer call. */
export function checkCall(functions: readonly FunctionDoc[], call: ModelCall, answer: AnswerCall): CheckResult {
  const [name, accepted] = answerOf(answer);
  const doc = findFunction(functions, name);
  if (!doc) throw new Error(`The answer names ${name}, which is not among the functions.`);
  if (call.name !== name) {
    return fail('simple_function_checker:wrong_func_name', `Function name ${name} not found in model output.`);
  }
  const declared = doc.parameters.properties;
  for (const param of doc.parameters.required ?? []) {
    if (!(param in call.arguments)) {
      return fail('simple_function_checker:missing_required', `Missing required parameter: ${param}.`);
    }
  }
  for (const [param, given] of Object.entries(call.arguments)) {
    const spec = declared[param];
    const values = accepted[param];
    if (!spec || !values) return fail('simple_function_checker:unexpected_param', `Unexpected parameter: ${param}.`);
    const result = checkParameter(param, given, spec, values);
    if (!result.valid) return result;
  }
  for (const [param, values] of Object.entries(accepted)) {
    if (!(param in call.arguments) && !values.includes('')) {
      return fail(
        'simple_function_checker:missing_optional',
        `Optional parameter ${param} not provided and not marked as optional.`,
      );
    }
  }
  return ok;
}

function checkParameter(param: string, given: PyValue, spec: ParamDoc, values: AcceptedValues): CheckResult {
  const expected = pythonTypes[spec.type];
  if (!expected) throw new Error(`Parameter ${param} has a type BFCL does not know: ${spec.type}.`);
  const nested = nestedChecked.has(spec.type) && spec.items ? (pythonTypes[spec.items.type] ?? null) : null;
  // Python converts an int to a float where a float is expected.
  const value = expected === 'float' && pyTypeOf(given) === 'int' ? new PyFloat(given as number) : given;
  const typed = checkType(param, value, values, spec.type, expected, nested);
  if (!typed.valid) return typed;
  if (!typed.isVariable) {
    if (expected === 'dict') return checkDict(param, value as Record<string, PyValue>, values);
    if (expected === 'list' && nested === 'dict') return checkListOfDicts(param, value as PyValue[], values);
    if (expected === 'str') return checkString(param, value as string, values);
    if (expected === 'list') return checkList(param, value as PyValue[], values);
  }
  return pyIn(value, values)
    ? ok
    : fail(
        'value_error:others',
        `Invalid value for parameter ${param}: ${show(value)}. Expected one of ${show(values)}.`,
      );
}

interface TypeVerdict extends CheckResult {
  /** The answer lists a variable name (a string) where a value of another type was due. */
  isVariable: boolean;
}

/** BFCL's `get_possible_answer_type`: the type of the first accepted value that is not `""`. */
function answerType(values: AcceptedValues): PyType | null {
  const first = values.find((value) => value !== '');
  return first === undefined ? null : pyTypeOf(first);
}

function checkType(
  param: string,
  value: PyValue,
  values: AcceptedValues,
  description: string,
  expected: PyType,
  nested: PyType | null,
): TypeVerdict {
  const fromAnswer = answerType(values);
  const isVariable = fromAnswer !== null && fromAnswer !== expected;
  const actual = pyTypeOf(value);
  if (actual === expected) {
    if (nested === null) return { valid: true, isVariable };
    for (const candidate of values) {
      // A candidate that is not a list (an optional "") places no constraint on the items, as in BFCL.
      const fits =
        !Array.isArray(candidate) ||
        (value as PyValue[]).every((item) => checkType(param, item, candidate, nested, nested, null).valid);
      if (fits) return { valid: true, isVariable };
    }
    // BFCL marks the failure before its variable check, which then cannot make it valid again.
    return {
      valid: false,
      isVariable,
      errorType: 'type_error:nested',
      error: `Nested type checking failed for parameter ${param}. Expected outer type ${description} with inner type ${nested}. Parameter value: ${show(value)}.`,
    };
  }
  if (fromAnswer !== null && actual === fromAnswer) return { valid: true, isVariable: true };
  return {
    valid: false,
    isVariable,
    errorType: 'type_error:simple',
    error: `Incorrect type for parameter ${param}. Expected type ${description}, got ${actual}. Parameter value: ${show(value)}.`,
  };
}

/** BFCL's standardize_string: April 1, 2024 = april 1 2024 = April_1,2024. */
export function standardizeString(text: string): string {
  return text
    .replace(/[ ,./\-_*^]/g, '')
    .toLowerCase()
    .replace(/'/g, '"');
}

const standardized = (value: PyValue): PyValue => (typeof value === 'string' ? standardizeString(value) : value);

function checkString(param: string, value: string, values: AcceptedValues): CheckResult {
  const candidates = values.filter((item): item is string => typeof item === 'string').map(standardizeString);
  return candidates.includes(standardizeString(value))
    ? ok
    : fail(
        'value_error:string',
        `Invalid value for parameter ${param}: ${show(value)}. Expected one of ${show(values)}. Case insensitive.`,
      );
}

function checkList(param: string, value: PyValue[], values: AcceptedValues): CheckResult {
  const given = value.map(standardized);
  // BFCL indexes each candidate as a sequence: a string candidate (the optional "") is its characters.
  const candidates = values.map((candidate) =>
    Array.isArray(candidate) ? candidate.map(standardized) : typeof candidate === 'string' ? [...candidate] : [],
  );
  return pyIn(given, candidates)
    ? ok
    : fail(
        'value_error:list/tuple',
        `Invalid value for parameter ${param}: ${show(value)}. Expected one of ${show(values)}.`,
      );
}

function checkDict(param: string, value: Record<string, PyValue>, values: AcceptedValues): CheckResult {
  let last = fail('dict_checker:unclear', `No accepted value for parameter ${param}.`);
  for (const candidate of values) {
    if (candidate === '') continue;
    last = checkOneDict(value, candidate as Record<string, AcceptedValues>);
    if (last.valid) return ok;
  }
  return last;
}

function checkOneDict(value: Record<string, PyValue>, candidate: Record<string, AcceptedValues>): CheckResult {
  for (const [key, item] of Object.entries(value)) {
    const accepted = candidate[key];
    if (!accepted) return fail('value_error:dict_key', `Unexpected dict key parameter: '${key}'.`);
    if (!pyIn(standardized(item), accepted.map(standardized))) {
      return fail('value_error:dict_value', `Invalid value for parameter ${key}: ${show(item)}.`);
    }
  }
  for (const [key, accepted] of Object.entries(candidate)) {
    if (!(key in value) && !accepted.includes('')) {
      return fail('value_error:dict_key', `Missing dict key parameter: '${key}'.`);
    }
  }
  return ok;
}

function checkListOfDicts(param: string, value: PyValue[], values: AcceptedValues): CheckResult {
  let last = fail('list_dict_checker:unclear', `No accepted value for parameter ${param}.`);
  for (const candidate of values) {
    const dicts = Array.isArray(candidate) ? candidate : [];
    if (dicts.length !== value.length) {
      last = fail('value_error:list_dict_count', 'Wrong number of dictionaries in the list.');
      continue;
    }
    let all = true;
    for (const [index, item] of value.entries()) {
      last =
        pyTypeOf(item) === 'dict'
          ? checkOneDict(item as Record<string, PyValue>, dicts[index] as Record<string, AcceptedValues>)
          : fail('type_error:nested', `Item ${index} of ${param} is not a dict.`);
      if (!last.valid) {
        all = false;
        break;
      }
    }
    if (all) return ok;
  }
  return last;
}

/** Parallel calls: as many as the answer has, each answer call matched by its own model call. */
function checkParallel(
  functions: readonly FunctionDoc[],
  calls: readonly ModelCall[],
  answer: readonly AnswerCall[],
): CheckResult {
  if (calls.length !== answer.length) {
    return fail(
      'parallel_function_checker_no_order:wrong_count',
      `Wrong number of functions: ${calls.length}, expected ${answer.length}.`,
    );
  }
  return checkPlan(
    functions,
    calls,
    answer.map((call) => [call]),
    [],
  );
}

/**
 * A plan's calls in any order: each required step matched by its own call, and every other call
 * matched by an optional step (a harmless read). A step accepts any of its alternatives, for what
 * BFCL's format cannot say ("by link id or by name"). Backtracking finds a matching whenever one
 * exists; plans are a handful of calls.
 */
export function checkPlan(
  functions: readonly FunctionDoc[],
  calls: readonly ModelCall[],
  required: readonly (readonly AnswerCall[])[],
  optional: readonly (readonly AnswerCall[])[],
): CheckResult {
  const steps = [...required, ...optional];
  const fits = calls.map((call) =>
    steps.map((alternatives) => alternatives.map((answer) => checkCall(functions, call, answer))),
  );
  const fitsStep = (callIndex: number, stepIndex: number) =>
    fits[callIndex]![stepIndex]!.some((result) => result.valid);
  const used = new Array<boolean>(steps.length).fill(false);
  const assign = (callIndex: number): boolean => {
    if (callIndex === calls.length) return used.slice(0, required.length).every(Boolean);
    for (let stepIndex = 0; stepIndex < steps.length; stepIndex++) {
      if (used[stepIndex] || !fitsStep(callIndex, stepIndex)) continue;
      used[stepIndex] = true;
      if (assign(callIndex + 1)) return true;
      used[stepIndex] = false;
    }
    return false;
  };
  if (assign(0)) return ok;
  const unmatchedCalls = calls.filter(
    (_, callIndex) => !steps.some((_step, stepIndex) => fitsStep(callIndex, stepIndex)),
  );
  if (unmatchedCalls.length) {
    const [first] = unmatchedCalls;
    const reasons = fits[calls.indexOf(first!)]!.flat().map((result) => result.error);
    return fail(
      'parallel_function_checker_no_order:cannot_find_match',
      `The call ${first!.name} matches no answer call: ${[...new Set(reasons)].slice(0, 3).join('; ')}`,
    );
  }
  const missing = required.findIndex(
    (_, stepIndex) => !calls.some((_call, callIndex) => fitsStep(callIndex, stepIndex)),
  );
  const name = missing >= 0 ? answerOf(required[missing]![0]!)[0] : null;
  return fail(
    'parallel_function_checker_no_order:cannot_find_match',
    name ? `No call matches the expected ${name}.` : 'The calls cannot be paired one to one with the expected ones.',
  );
}

function show(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof PyFloat ? item.value : item));
}
