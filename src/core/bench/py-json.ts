/**
 * JSON as Python's `json.loads` reads it. BFCL's checker runs in Python, where `5` is an int and
 * `5.0` a float, and an int parameter given `5.0` is the wrong type. JavaScript's `JSON.parse`
 * forgets the difference, so numbers written as floats with a whole value are kept as `PyFloat`;
 * every other number is a plain `number` (a fraction is a float, a whole number an int).
 */
import { parse, stringify } from 'lossless-json';

/** A float whose value happens to be whole (`5.0`, `1e3`): Python's `float`, not its `int`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyValue = null | boolean | string | number | PyFloat | PyValue[] | { [key: string]: PyValue };

export type PyType = 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'none';

const floatLexeme = /[.eE]/;

/** Parses JSON text, keeping float-ness of whole numbers. Throws SyntaxError like JSON.parse. */
export function parsePyJson(text: string): PyValue {
  return parse(text, null, (lexeme) => {
    const value = Number(lexeme);
    return floatLexeme.test(lexeme) && Number.isInteger(value) ? new PyFloat(value) : value;
  }) as PyValue;
}

/** JSON text for a value; a PyFloat is written with its `.0`, as Python's json.dumps does. */
export function stringifyPyJson(value: PyValue, space?: number): string {
  return stringify(value, null, space, [
    {
      test: (item) => item instanceof PyFloat,
      stringify: (item) => {
        const { value: number } = item as PyFloat;
        const text = String(number);
        return floatLexeme.test(text) ? text : `${text}.0`;
      },
    },
  ])!;
}

/** What Python's `type(value)` would say after `json.loads`. */
export function pyTypeOf(value: PyValue): PyType {
  if (value === null) return 'none';
  if (value instanceof PyFloat) return 'float';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    default:
      return 'dict';
  }
}

/** The number behind an int, float or bool (Python's bool is an int: `True == 1`). */
function numeric(value: PyValue): number | null {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/** Python's `==` on decoded JSON: numbers by value whatever their type, containers item by item. */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  const [x, y] = [numeric(a), numeric(b)];
  if (x !== null || y !== null) return x !== null && y !== null && x === y;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => pyEquals(item, b[i]!));
  }
  if (a === null || b === null || typeof a === 'string' || typeof b === 'string') return a === b;
  const [left, right] = [a as Record<string, PyValue>, b as Record<string, PyValue>];
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length && keys.every((key) => key in right && pyEquals(left[key]!, right[key]!))
  );
}

/** Python's `value in items`. */
export function pyIn(value: PyValue, items: readonly PyValue[]): boolean {
  return items.some((item) => pyEquals(value, item));
}

/** The plain JavaScript value (PyFloat unwrapped), for schema validation and display. */
export function toPlain(value: PyValue): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  }
  return value;
}
