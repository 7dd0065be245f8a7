/**
 * The grammar of compact JSON for a JSON Schema: XGrammar's EBNF dialect, with no whitespace
 * anywhere outside strings. WebLLM compiles a `json_object` schema with XGrammar's defaults, which
 * allow any whitespace between tokens, and small models spend their `max_tokens` on it (vllm#17393,
 * xgrammar#212): sent as `response_format: {type: "grammar"}`, this leaves them none.
 *
 * Built here, on whichever thread plans the request, rather than by XGrammar's own converter
 * (`Grammar.fromJSONSchema(schema, false, -1, [",", ":"])`), because the schemas are made per
 * request (a batch's ids, the run's ids), so nothing can be built ahead of time, and XGrammar is a
 * 1.1 MB WASM module that WebLLM bundles privately in the model worker (it does not export it):
 * loading a second copy on the page or in the worker to turn a schema into text is heavy for a
 * string function. xgrammar.test.ts holds this to XGrammar's own converter: XGrammar compiles every
 * grammar built here, and on every schema the model sees both accept and reject the same strings.
 *
 * Covers the JSON Schema the tools are written in (objects with fixed properties, strings with
 * lengths or simple anchored patterns, enums, consts, booleans, bounded numbers, arrays, anyOf),
 * and an object the schema says nothing about (any JSON object, as BFCL's untyped "dict");
 * anything else throws `UnsupportedSchemaError` naming the keyword, so a new tool that needs more
 * fails its XGrammar test instead of silently getting a looser grammar.
 */

export class UnsupportedSchemaError extends Error {
  override name = 'UnsupportedSchemaError';
}

type Schema = { [key: string]: unknown };

/** Keywords that describe without constraining. */
const annotations = new Set(['description', 'title', 'default', 'examples', '$comment', '$id', '$schema']);

const keywordsByType: Record<string, readonly string[]> = {
  object: ['properties', 'required', 'additionalProperties'],
  string: ['minLength', 'maxLength', 'pattern'],
  integer: ['minimum', 'maximum'],
  number: ['minimum', 'maximum'],
  array: ['items', 'minItems', 'maxItems'],
  boolean: [],
  null: [],
};

/** One JSON string character: anything but a quote, a backslash or a control character, or an escape. */
const jsonChar = '[^"\\\\\\x00-\\x1f] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})';

/** Any JSON number. */
const anyNumber = '"-"? ("0" | [1-9] [0-9]*) ("." [0-9]+)? ([eE] [+\\-]? [0-9]+)?';

export function compactJsonGrammar(schema: unknown): string {
  const rules = new GrammarRules();
  const root = new SchemaCompiler(rules).compile(schema, '#');
  return [`root ::= ${root}`, ...rules.lines()].join('\n');
}

class GrammarRules {
  #byBody = new Map<string, string>();
  #lines: string[] = [];

  /** A rule with this body, shared by every part of the schema that needs the same thing. */
  name(body: string, hint: string): string {
    const known = this.#byBody.get(body);
    if (known) return known;
    const name = `${hint}_${this.#byBody.size + 1}`;
    this.#byBody.set(body, name);
    this.#lines.push(`${name} ::= ${body}`);
    return name;
  }

  /** A rule under a fixed name, for rules that refer to themselves; written once. */
  named(name: string, body: string): string {
    if (!this.#byBody.has(`named ${name}`)) {
      this.#byBody.set(`named ${name}`, name);
      this.#lines.push(`${name} ::= ${body}`);
    }
    return name;
  }

  lines(): string[] {
    return this.#lines;
  }
}

class SchemaCompiler {
  constructor(private readonly rules: GrammarRules) {}

  compile(node: unknown, path: string): string {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      throw new UnsupportedSchemaError(
        `${path}: a schema must be an object (true, false and arrays are not supported)`,
      );
    }
    const schema = node as Schema;
    const alternatives = schema['anyOf'] ?? schema['oneOf'];
    if (alternatives !== undefined) {
      this.#allow(schema, path, ['anyOf', 'oneOf']);
      if (!Array.isArray(alternatives) || !alternatives.length)
        throw new UnsupportedSchemaError(`${path}: anyOf needs a list of schemas`);
      const bodies = alternatives.map((item, index) => this.compile(item, `${path}/anyOf/${index}`));
      return this.rules.name(bodies.join(' | '), 'any_of');
    }
    if ('const' in schema) {
      this.#allow(schema, path, ['const', 'type']);
      return literal(JSON.stringify(schema['const']));
    }
    if ('enum' in schema) {
      this.#allow(schema, path, ['enum', 'type']);
      const options = schema['enum'];
      if (!Array.isArray(options) || !options.length)
        throw new UnsupportedSchemaError(`${path}: enum needs a list of values`);
      return this.rules.name(options.map((option) => literal(JSON.stringify(option))).join(' | '), 'enum');
    }
    const type = schema['type'];
    if (typeof type !== 'string' || !(type in keywordsByType)) {
      throw new UnsupportedSchemaError(`${path}: type ${JSON.stringify(type)} is not supported`);
    }
    this.#allow(schema, path, ['type', ...keywordsByType[type]!]);
    switch (type) {
      case 'object':
        return this.#object(schema, path);
      case 'string':
        return this.#string(schema, path);
      case 'integer':
        return this.#integer(schema, path);
      case 'number':
        return this.#number(schema, path);
      case 'array':
        return this.#array(schema, path);
      case 'boolean':
        return this.rules.name('"true" | "false"', 'boolean');
      default:
        return '"null"';
    }
  }

  #allow(schema: Schema, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(schema)) {
      if (!allowed.includes(key) && !annotations.has(key)) {
        throw new UnsupportedSchemaError(`${path}: the keyword "${key}" is not supported here`);
      }
    }
  }

  /** Properties in the schema's order, each optional one present or not, commas only between. */
  #object(schema: Schema, path: string): string {
    if (schema['additionalProperties'] !== undefined && schema['additionalProperties'] !== false) {
      throw new UnsupportedSchemaError(`${path}: only additionalProperties: false is supported`);
    }
    const properties = Object.entries((schema['properties'] ?? {}) as Record<string, unknown>);
    // JSON Schema lets any member into an object it says nothing about (BFCL's untyped "dict"
    // parameters); with properties listed, the rest are refused, as WebLLM's strict mode does.
    if (!properties.length && schema['additionalProperties'] === undefined && schema['required'] === undefined) {
      return this.#anyObject();
    }
    const required = new Set((schema['required'] ?? []) as string[]);
    for (const key of required) {
      if (!properties.some(([name]) => name === key))
        throw new UnsupportedSchemaError(`${path}: required "${key}" has no schema`);
    }
    if (!properties.length) return '"{" "}"';
    const members = properties.map(
      ([key, value]) => `${literal(JSON.stringify(key))} ":" ${this.compile(value, `${path}/properties/${key}`)}`,
    );
    // after[i]: what may follow once a member before i was written (each next one needs a comma).
    const after: string[] = new Array<string>(properties.length + 1);
    after[properties.length] = '';
    for (let index = properties.length - 1; index >= 1; index--) {
      const present = `"," ${members[index]}${after[index + 1] ? ` ${after[index + 1]}` : ''}`;
      after[index] = required.has(properties[index]![0])
        ? this.rules.name(present, 'members')
        : this.rules.name(after[index + 1] ? `${present} | ${after[index + 1]}` : `${present} | ""`, 'members');
    }
    const first: string[] = [];
    for (const [index, [key]] of properties.entries()) {
      first.push(`${members[index]}${after[index + 1] ? ` ${after[index + 1]}` : ''}`);
      if (required.has(key)) break;
    }
    const body = first.map((option) => `"{" ${option} "}"`);
    if (!required.size) body.push('"{" "}"');
    return this.rules.name(body.join(' | '), 'object');
  }

  /** Any JSON object, compact: members of any JSON value. */
  #anyObject(): string {
    const char = this.rules.name(jsonChar, 'char');
    const string = this.rules.name(`"\\"" ${char}* "\\""`, 'string');
    const number = this.rules.name(anyNumber, 'number');
    const member = `${string} ":" any_value`;
    this.rules.named('any_object', `"{" "}" | "{" ${member} ("," ${member})* "}"`);
    this.rules.named('any_array', '"[" "]" | "[" any_value ("," any_value)* "]"');
    this.rules.named('any_value', `any_object | any_array | ${string} | ${number} | "true" | "false" | "null"`);
    return 'any_object';
  }

  #string(schema: Schema, path: string): string {
    const pattern = schema['pattern'];
    if (pattern !== undefined) {
      if (schema['minLength'] !== undefined || schema['maxLength'] !== undefined) {
        throw new UnsupportedSchemaError(`${path}: pattern together with a length is not supported`);
      }
      if (typeof pattern !== 'string') throw new UnsupportedSchemaError(`${path}: pattern must be a string`);
      return this.rules.name(`"\\"" ${patternGrammar(pattern, path)} "\\""`, 'string');
    }
    const min = count(schema['minLength'], 0, path, 'minLength');
    const max = schema['maxLength'] === undefined ? undefined : count(schema['maxLength'], 0, path, 'maxLength');
    const char = this.rules.name(jsonChar, 'char');
    return this.rules.name(`"\\"" ${char}${repeat(min, max)} "\\""`, 'string');
  }

  #integer(schema: Schema, path: string): string {
    const { min, max } = bounds(schema, path);
    if (min !== undefined && max !== undefined && Number.isInteger(min) && Number.isInteger(max) && max - min <= 1000) {
      const options = Array.from({ length: max - min + 1 }, (_, index) => literal(String(min + index)));
      return this.rules.name(options.join(' | '), 'integer');
    }
    return this.rules.name(`${min !== undefined && min >= 0 ? '' : '"-"? '}("0" | [1-9] [0-9]*)`, 'integer');
  }

  /** Bounded by small whole numbers: each whole part, then at most six decimals (zeros after the maximum). */
  #number(schema: Schema, path: string): string {
    const { min, max } = bounds(schema, path);
    if (min !== undefined && max !== undefined && Number.isInteger(min) && Number.isInteger(max) && min >= 0) {
      if (max - min > 100) throw new UnsupportedSchemaError(`${path}: a number range wider than 100 is not supported`);
      const options = Array.from(
        { length: max - min },
        (_, index) => `${literal(String(min + index))} ("." [0-9]{1,6})?`,
      );
      options.push(`${literal(String(max))} ("." "0"{1,6})?`);
      return this.rules.name(options.join(' | '), 'number');
    }
    if (min !== undefined || max !== undefined) {
      throw new UnsupportedSchemaError(`${path}: only whole-number bounds are supported for numbers`);
    }
    return this.rules.name(anyNumber, 'number');
  }

  #array(schema: Schema, path: string): string {
    if (schema['items'] === undefined) throw new UnsupportedSchemaError(`${path}: an array needs items`);
    const item = this.compile(schema['items'], `${path}/items`);
    const min = count(schema['minItems'], 0, path, 'minItems');
    const max = schema['maxItems'] === undefined ? undefined : count(schema['maxItems'], 0, path, 'maxItems');
    if (max !== undefined && max < min) throw new UnsupportedSchemaError(`${path}: maxItems is below minItems`);
    if (max === 0) return '"[" "]"';
    const more =
      max === 1 ? '' : ` ("," ${item})${repeat(Math.max(min - 1, 0), max === undefined ? undefined : max - 1)}`;
    const options = [`"[" ${item}${more} "]"`];
    if (min === 0) options.push('"[" "]"');
    return this.rules.name(options.join(' | '), 'array');
  }
}

function count(value: unknown, fallback: number, path: string, keyword: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new UnsupportedSchemaError(`${path}: ${keyword} must be a whole number`);
  }
  return value as number;
}

function bounds(schema: Schema, path: string): { min?: number; max?: number } {
  const read = (keyword: string) => {
    const value = schema[keyword];
    if (value !== undefined && typeof value !== 'number')
      throw new UnsupportedSchemaError(`${path}: ${keyword} must be a number`);
    return value as number | undefined;
  };
  const min = read('minimum');
  const max = read('maximum');
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

function repeat(min: number, max: number | undefined): string {
  if (max === undefined) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

/** An EBNF string literal matching exactly `text`. */
function literal(text: string): string {
  return `"${[...text].map(escapeChar).join('')}"`;
}

function escapeChar(char: string): string {
  if (char === '"' || char === '\\') return `\\${char}`;
  const code = char.codePointAt(0)!;
  if (code >= 0x20 && code < 0x7f) return char;
  return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * An anchored regular expression (`^…$`) of literals, character classes, groups, alternatives and
 * quantifiers, as EBNF; the characters a JSON string would have to escape are not supported.
 */
function patternGrammar(pattern: string, path: string): string {
  const fail = (why: string): never => {
    throw new UnsupportedSchemaError(`${path}: pattern ${JSON.stringify(pattern)}: ${why}`);
  };
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$')) {
    fail('only anchored patterns (^…$) are supported');
  }
  const source = pattern.slice(1, -1);
  let at = 0;
  const jsonSafe = (char: string) => {
    if (char === '"' || char === '\\' || char.codePointAt(0)! < 0x20)
      fail('characters JSON must escape are not supported');
    return char;
  };
  const alternation = (): string => {
    const options = [sequence()];
    while (source[at] === '|') {
      at++;
      options.push(sequence());
    }
    return options.length > 1 ? `(${options.join(' | ')})` : options[0]!;
  };
  const sequence = (): string => {
    const parts: string[] = [];
    while (at < source.length && source[at] !== '|' && source[at] !== ')') {
      const atom = atomAt();
      parts.push(`${atom}${quantifier()}`);
    }
    return parts.length ? parts.join(' ') : '""';
  };
  const atomAt = (): string => {
    const char = source[at++]!;
    if (char === '(') {
      if (source.startsWith('?:', at)) at += 2;
      else if (source[at] === '?') fail('lookarounds and named groups are not supported');
      const inner = alternation();
      if (source[at++] !== ')') fail('unclosed group');
      return `(${inner})`;
    }
    if (char === '[') return classAt();
    if (char === '\\') {
      const escaped = source[at++];
      if (escaped === 'd') return '[0-9]';
      if (escaped !== undefined && /[.^$|?*+()[\]{}\-/]/.test(escaped)) return literal(escaped);
      return fail(`the escape \\${escaped ?? ''} is not supported`);
    }
    if ('.^$*+?{'.includes(char)) fail(`"${char}" is not supported here`);
    return literal(jsonSafe(char));
  };
  const classAt = (): string => {
    const negated = source[at] === '^';
    if (negated) at++;
    const items: string[] = [];
    const member = (): string => {
      const char = source[at++];
      if (char === undefined) return fail('unclosed character class');
      if (char === '\\') {
        const escaped = source[at++];
        if (escaped === 'd') return '0-9';
        if (escaped !== undefined && /[\]\\\-^.]/.test(escaped) && escaped !== '\\') return `\\${escaped}`;
        return fail(`the escape \\${escaped ?? ''} is not supported in a class`);
      }
      return classChar(jsonSafe(char));
    };
    while (source[at] !== ']') {
      if (at >= source.length) fail('unclosed character class');
      const start = member();
      if (source[at] === '-' && source[at + 1] !== ']' && at + 1 < source.length) {
        at++;
        items.push(`${start}-${member()}`);
      } else {
        items.push(start);
      }
    }
    at++;
    // A negated class must not let through what would end or break the JSON string.
    return negated ? `[^${items.join('')}"\\\\\\x00-\\x1f]` : `[${items.join('')}]`;
  };
  const quantifier = (): string => {
    const char = source[at];
    if (char === '?' || char === '*' || char === '+') {
      at++;
      if (source[at] === '?' || source[at] === '+') fail('lazy and possessive quantifiers are not supported');
      return char;
    }
    if (char !== '{') return '';
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
    if (!match) return fail('malformed {m,n} quantifier');
    at += match[0].length;
    const min = Number(match[1]);
    return repeat(min, match[2] === undefined ? min : match[3] ? Number(match[3]) : undefined);
  };
  const grammar = alternation();
  if (at !== source.length) fail(`unexpected "${source[at]}"`);
  return grammar;
}

function classChar(char: string): string {
  if (char === ']' || char === '-' || char === '^') return `\\${char}`;
  return escapeChar(char);
}
