/**
 * Outputs built from a possible answer, for testing the checker and for the scripted benchmark
 * engines: right ones (each accepted value, optional parameters left out, calls reordered, strings
 * spelt differently) and plausibly wrong ones (the mistakes small models make). Each wrong output is
 * wrong by BFCL's rules by construction — never by asking the checker — so a checker that accepted
 * it would be caught.
 */
import {
  pythonTypes,
  type AcceptedValues,
  type AnswerCall,
  type FunctionDoc,
  type ModelCall,
  type ParamDoc,
} from './ast-checker.ts';
import { PyFloat, pyIn, pyTypeOf, type PyType, type PyValue } from './py-json.ts';

export type MistakeKind =
  | 'wrong-function'
  | 'missing-parameter'
  | 'wrong-type'
  | 'disallowed-value'
  | 'extra-call'
  | 'missing-call'
  | 'call-where-none-is-due';

export interface WrongOutput {
  kind: MistakeKind;
  calls: ModelCall[];
}

export interface AnswerItem {
  functions: FunctionDoc[];
  answer: AnswerCall[];
}

const isOptional = (values: AcceptedValues) => values.includes('');
const chosen = (values: AcceptedValues) => values.filter((value) => value !== '');

/**
 * A value BFCL would accept for one parameter: accepted dicts and lists of dicts are built key by
 * key, in the order the schema declares (XGrammar writes properties in that order, so a constrained
 * model does too).
 */
function valueFrom(accepted: PyValue, spec: ParamDoc | undefined): PyValue {
  if (pyTypeOf(accepted) === 'dict') return dictFrom(accepted as Record<string, AcceptedValues>, spec?.properties);
  if (Array.isArray(accepted) && spec?.items?.type === 'dict') {
    const properties = spec.items.properties;
    return accepted.map((item) =>
      pyTypeOf(item) === 'dict' ? dictFrom(item as Record<string, AcceptedValues>, properties) : item,
    );
  }
  return accepted;
}

function dictFrom(
  accepted: Record<string, AcceptedValues>,
  properties: Record<string, ParamDoc> | undefined,
): Record<string, PyValue> {
  const out: Record<string, PyValue> = {};
  for (const key of inDeclaredOrder(Object.keys(accepted), properties)) {
    const [first] = chosen(accepted[key]!);
    if (first !== undefined) out[key] = first;
  }
  return out;
}

function inDeclaredOrder(keys: string[], properties: Record<string, ParamDoc> | undefined): string[] {
  const declared = Object.keys(properties ?? {});
  const rank = (key: string) => (declared.includes(key) ? declared.indexOf(key) : declared.length);
  return [...keys].sort((a, b) => rank(a) - rank(b));
}

function docOf(item: AnswerItem, name: string): FunctionDoc {
  const doc = item.functions.find((fn) => fn.name === name);
  if (!doc) throw new Error(`No function ${name} in the item.`);
  return doc;
}

/** The plainest right call: the first accepted value of each parameter, optional ones left out. */
export function firstRightCall(item: AnswerItem, answer: AnswerCall): ModelCall {
  const [name, params] = Object.entries(answer)[0]!;
  const doc = docOf(item, name);
  const required = doc.parameters.required ?? [];
  const args: Record<string, PyValue> = {};
  for (const param of inDeclaredOrder(Object.keys(params), doc.parameters.properties)) {
    const values = params[param]!;
    const [first] = chosen(values);
    if (first === undefined || (isOptional(values) && !required.includes(param))) continue;
    args[param] = valueFrom(first, doc.parameters.properties[param]);
  }
  return { name, arguments: args };
}

export function firstRightOutput(item: AnswerItem): ModelCall[] {
  return item.answer.map((answer) => firstRightCall(item, answer));
}

/** Every right output worth trying: each accepted value, each optional parameter given, other spellings, other orders. */
export function rightOutputs(item: AnswerItem): ModelCall[][] {
  const base = firstRightOutput(item);
  const outputs: ModelCall[][] = [base];
  item.answer.forEach((answer, callIndex) => {
    const [, params] = Object.entries(answer)[0]!;
    const doc = docOf(item, base[callIndex]!.name);
    for (const [param, values] of Object.entries(params)) {
      // A few answers list a parameter the function does not declare: BFCL fails any output that gives it.
      const spec = doc.parameters.properties[param];
      if (!spec) continue;
      for (const value of chosen(values)) {
        const variant = valueFrom(value, spec);
        outputs.push(withArgument(base, callIndex, param, variant));
        // Case and punctuation are forgiven only for a declared string, not for a variable's name.
        const respelt = spec.type === 'string' ? respell(variant) : null;
        if (respelt !== null) outputs.push(withArgument(base, callIndex, param, respelt));
        if (value instanceof PyFloat && spec.type === 'float') {
          outputs.push(withArgument(base, callIndex, param, value.value));
        }
      }
    }
  });
  if (base.length > 1) outputs.push([...base].reverse());
  return outputs;
}

function withArgument(calls: ModelCall[], index: number, param: string, value: PyValue): ModelCall[] {
  return calls.map((call, i) => (i === index ? { ...call, arguments: { ...call.arguments, [param]: value } } : call));
}

/** The call with its arguments in the order the function declares them. */
export function inSchemaOrder(call: ModelCall, functions: readonly FunctionDoc[]): ModelCall {
  const properties = functions.find((doc) => doc.name === call.name)?.parameters.properties;
  const args: Record<string, PyValue> = {};
  for (const key of inDeclaredOrder(Object.keys(call.arguments), properties)) args[key] = call.arguments[key]!;
  return { name: call.name, arguments: args };
}

/** The same string as BFCL reads it (case, spaces and `,./-_*^` do not count); null when there is nothing to vary. */
function respell(value: PyValue): string | null {
  if (typeof value !== 'string' || !/[a-z]/.test(value)) return null;
  return value.toUpperCase().replace(/ /g, '  ');
}

/** Plausible wrong outputs, one per kind that applies to the item. */
export function wrongOutputs(item: AnswerItem): WrongOutput[] {
  if (item.answer.length === 0) {
    const doc = item.functions[0]!;
    return [{ kind: 'call-where-none-is-due', calls: [{ name: doc.name, arguments: sampleArguments(doc) }] }];
  }
  const right = firstRightOutput(item);
  const wrong: WrongOutput[] = [];
  const first = right[0]!;
  const doc = docOf(item, first.name);
  const accepted = Object.values(item.answer[0]!)[0]!;

  // A model that picks the wrong function fills in that function's own parameters.
  const other = item.functions.find((fn) => fn.name !== first.name);
  wrong.push({
    kind: 'wrong-function',
    calls: replaceFirst(
      right,
      other ? { name: other.name, arguments: sampleArguments(other) } : { ...first, name: `${first.name}_v2` },
    ),
  });

  const mustGive = [
    ...(doc.parameters.required ?? []).filter((param) => param in first.arguments),
    ...Object.keys(accepted).filter((param) => param in first.arguments && !isOptional(accepted[param]!)),
  ];
  if (mustGive[0] !== undefined) {
    const { [mustGive[0]]: _dropped, ...rest } = first.arguments;
    wrong.push({ kind: 'missing-parameter', calls: replaceFirst(right, { ...first, arguments: rest }) });
  }

  const typed = Object.keys(first.arguments)[0];
  if (typed !== undefined) {
    const spec = doc.parameters.properties[typed]!;
    wrong.push({
      kind: 'wrong-type',
      calls: replaceFirst(right, {
        ...first,
        arguments: { ...first.arguments, [typed]: valueOfOtherType(spec, accepted[typed]!) },
      }),
    });
  }

  for (const [param, given] of Object.entries(first.arguments)) {
    const outside = valueOutside(given, accepted[param]!);
    if (outside === null) continue;
    wrong.push({
      kind: 'disallowed-value',
      calls: replaceFirst(right, { ...first, arguments: { ...first.arguments, [param]: outside } }),
    });
    break;
  }

  wrong.push({ kind: 'extra-call', calls: [...right, first] });
  if (right.length > 1) wrong.push({ kind: 'missing-call', calls: right.slice(0, -1) });
  return wrong;
}

function replaceFirst(calls: ModelCall[], first: ModelCall): ModelCall[] {
  return [first, ...calls.slice(1)];
}

/** A value whose type is neither the declared one nor the one the answer lists (a variable's). */
function valueOfOtherType(spec: ParamDoc, accepted: AcceptedValues): PyValue {
  const avoid = new Set<PyType>([pythonTypes[spec.type] ?? 'str']);
  const first = chosen(accepted)[0];
  if (first !== undefined) avoid.add(pyTypeOf(first));
  // An int is a float too where a float is expected (Python converts it), so never offer one there.
  if (avoid.has('float')) avoid.add('int');
  const candidates: PyValue[] = [true, 'seven', [{ wrong: 'type' }], { wrong: 'type' }, 7];
  return candidates.find((value) => !avoid.has(pyTypeOf(value)))!;
}

/** A value of the same type that no accepted value equals (as BFCL compares); null when none is easy to find. */
function valueOutside(given: PyValue, accepted: AcceptedValues): PyValue | null {
  const type = pyTypeOf(given);
  let candidate: PyValue | null = null;
  if (type === 'str') candidate = 'zzz not an answer';
  else if (type === 'int') candidate = 987_654_321;
  else if (type === 'float') candidate = 98_765.4321;
  else if (type === 'bool') candidate = !given;
  else if (type === 'list') candidate = [...(given as PyValue[]), 'zzz not an answer'];
  if (candidate === null) return null;
  if (type === 'str') return candidate;
  return pyIn(candidate, accepted) ? null : candidate;
}

/** Arguments of the declared types for a function's required parameters: a call that looks real. */
export function sampleArguments(doc: FunctionDoc): Record<string, PyValue> {
  const required = new Set(doc.parameters.required ?? []);
  const args: Record<string, PyValue> = {};
  for (const [param, spec] of Object.entries(doc.parameters.properties)) {
    if (required.has(param)) args[param] = sampleValue(spec);
  }
  return args;
}

function sampleValue(spec: ParamDoc): PyValue {
  if (Array.isArray(spec.enum) && spec.enum.length > 0) return spec.enum[0] as PyValue;
  switch (spec.type) {
    case 'integer':
      return 3;
    case 'float':
    case 'number':
      return 2.5;
    case 'boolean':
      return true;
    case 'array':
    case 'tuple':
      return spec.items ? [sampleValue(spec.items)] : [];
    case 'dict':
    case 'object': {
      const out: Record<string, PyValue> = {};
      for (const [key, inner] of Object.entries(spec.properties ?? {})) {
        if (spec.required?.includes(key)) out[key] = sampleValue(inner);
      }
      return out;
    }
    default:
      return 'example';
  }
}
