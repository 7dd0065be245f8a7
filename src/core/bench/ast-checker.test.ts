import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCalls, type AnswerCall, type CheckCategory, type FunctionDoc, type ModelCall } from './ast-checker.ts';
import { bfclFiles, parseBfclEntry, readBfclSubset, type BfclSubset } from './bfcl.ts';
import { checkerAgreement, type AgreementItem } from './checker-agreement.ts';
import { parsePyJson, PyFloat, type PyValue } from './py-json.ts';
import subset from './data/bfcl-subset.json' with { type: 'json' };

const area: FunctionDoc = {
  name: 'geometry.area',
  parameters: {
    type: 'dict',
    properties: {
      base: { type: 'integer' },
      height: { type: 'float' },
      unit: { type: 'string' },
      exact: { type: 'boolean' },
      sides: { type: 'array', items: { type: 'integer' } },
      options: { type: 'dict', properties: { round: { type: 'integer' }, mode: { type: 'string' } } },
    },
    required: ['base', 'height'],
  },
};
const other: FunctionDoc = {
  name: 'geometry.perimeter',
  parameters: { type: 'dict', properties: { base: { type: 'integer' } }, required: ['base'] },
};

const answer = (params: Record<string, PyValue[]>): AnswerCall[] => [{ 'geometry.area': params }];
const call = (args: Record<string, PyValue>, name = 'geometry.area'): ModelCall => ({ name, arguments: args });
const check = (calls: ModelCall[], params: Record<string, PyValue[]>, category: CheckCategory = 'simple') =>
  checkCalls(category, [area, other], calls, answer(params));

describe("checkCalls follows BFCL's rules", () => {
  it('passes the right call and names what is wrong otherwise', () => {
    const accepted = { base: [10], height: [5.5], unit: ['square meters', ''] };
    expect(check([call({ base: 10, height: 5.5 })], accepted)).toEqual({ valid: true });
    expect(check([call({ base: 10, height: 5.5 }, 'geometry.perimeter')], accepted).errorType).toBe(
      'simple_function_checker:wrong_func_name',
    );
    expect(check([call({ height: 5.5 })], accepted).errorType).toBe('simple_function_checker:missing_required');
    expect(check([call({ base: 10, height: 5.5, colour: 'red' })], accepted).errorType).toBe(
      'simple_function_checker:unexpected_param',
    );
    expect(check([call({ base: 11, height: 5.5 })], accepted).errorType).toBe('value_error:others');
  });

  it('accepts an int for a float, never a float (even 10.0) or a bool for an int', () => {
    const accepted = { base: [10], height: [5.0] };
    expect(check([call({ base: 10, height: 5 })], accepted).valid).toBe(true);
    expect(check([call({ base: new PyFloat(10), height: 5 })], accepted).errorType).toBe('type_error:simple');
    expect(check([call({ base: 10.5, height: 5 })], accepted).errorType).toBe('type_error:simple');
    expect(check([call({ base: true, height: 5 })], accepted).errorType).toBe('type_error:simple');
    expect(check([call({ base: '10', height: 5 })], accepted).errorType).toBe('type_error:simple');
  });

  it('compares strings without case, spaces or ,./-_*^ and lets "" mark a parameter that may be left out', () => {
    const accepted = { base: [10], height: [2], unit: ['Square-Meters', ''] };
    expect(check([call({ base: 10, height: 2, unit: 'square meters' })], accepted).valid).toBe(true);
    expect(check([call({ base: 10, height: 2 })], accepted).valid).toBe(true);
    expect(check([call({ base: 10, height: 2, unit: 'square feet' })], accepted).errorType).toBe('value_error:string');
    expect(check([call({ base: 10, height: 2 })], { ...accepted, unit: ['square meters'] }).errorType).toBe(
      'simple_function_checker:missing_optional',
    );
  });

  it('treats an answer whose type differs from the declared one as a variable name, compared exactly', () => {
    const accepted = { base: ['width'], height: [2] };
    expect(check([call({ base: 'width', height: 2 })], accepted).valid).toBe(true);
    expect(check([call({ base: 'WIDTH', height: 2 })], accepted).errorType).toBe('value_error:others');
  });

  it('checks lists item by item (types one level deep) and dicts key by key', () => {
    const accepted = { base: [1], height: [1], sides: [[3, 4, 5]], options: [{ round: [2], mode: ['fast', ''] }] };
    expect(check([call({ base: 1, height: 1, sides: [3, 4, 5], options: { round: 2 } })], accepted).valid).toBe(true);
    expect(check([call({ base: 1, height: 1, sides: [3, 4, '5'], options: { round: 2 } })], accepted).errorType).toBe(
      'type_error:nested',
    );
    expect(check([call({ base: 1, height: 1, sides: [5, 4, 3], options: { round: 2 } })], accepted).errorType).toBe(
      'value_error:list/tuple',
    );
    expect(
      check([call({ base: 1, height: 1, sides: [3, 4, 5], options: { round: 2, speed: 1 } })], accepted).errorType,
    ).toBe('value_error:dict_key');
    expect(check([call({ base: 1, height: 1, sides: [3, 4, 5], options: {} })], accepted).errorType).toBe(
      'value_error:dict_key',
    );
  });

  it('matches parallel calls in any order, one model call per answer call', () => {
    const answers: AnswerCall[] = [
      { 'geometry.area': { base: [1, 2], height: [1] } },
      { 'geometry.area': { base: [1], height: [1] } },
    ];
    const run = (calls: ModelCall[]) => checkCalls('parallel', [area], calls, answers);
    expect(run([call({ base: 1, height: 1 }), call({ base: 2, height: 1 })]).valid).toBe(true);
    // A greedy match pairs the first call with the first answer and then finds nothing for the second.
    expect(run([call({ base: 1, height: 1 }), call({ base: 1, height: 1 })]).valid).toBe(true);
    expect(run([call({ base: 2, height: 1 }), call({ base: 2, height: 1 })]).errorType).toBe(
      'parallel_function_checker_no_order:cannot_find_match',
    );
    expect(run([call({ base: 1, height: 1 })]).errorType).toBe('parallel_function_checker_no_order:wrong_count');
  });

  it('wants exactly one call for simple and multiple, and none for irrelevance', () => {
    const accepted = { base: [1], height: [1] };
    expect(check([], accepted).errorType).toBe('simple_function_checker:wrong_count');
    expect(check([call({ base: 1, height: 1 }), call({ base: 1, height: 1 })], accepted, 'multiple').valid).toBe(false);
    expect(checkCalls('irrelevance', [area], [], []).valid).toBe(true);
    expect(checkCalls('irrelevance', [area], [call({ base: 1, height: 1 })], []).valid).toBe(false);
  });

  it('reads numbers as Python does', () => {
    const value = parsePyJson('{"a": 5, "b": 5.0, "c": 0.5, "d": 1e3}') as Record<string, PyValue>;
    expect(value['a']).toBe(5);
    expect(value['b']).toEqual(new PyFloat(5));
    expect(value['c']).toBe(0.5);
    expect(value['d']).toEqual(new PyFloat(1000));
  });
});

describe("the checker agrees with BFCL's possible answers", () => {
  it('on the subset the app ships: every right output passes, every plausible mistake fails', () => {
    const report = checkerAgreement(readBfclSubset(subset as BfclSubset));
    expect(report.entries).toBe(200);
    expect(report.disagreements).toEqual([]);
    expect(report.right.passed).toBe(report.right.checked);
    expect(report.wrong.failed).toBe(report.wrong.checked);
    for (const kind of ['wrong-function', 'missing-parameter', 'wrong-type', 'disallowed-value', 'extra-call']) {
      expect(report.wrong.byKind[kind as keyof typeof report.wrong.byKind]?.checked, kind).toBeGreaterThan(100);
    }
    expect(report.wrong.byKind['call-where-none-is-due']?.checked).toBe(50);
  });

  const shared = join(import.meta.dirname, '../../../../shared/evals/bfcl');
  it.skipIf(!existsSync(join(shared, bfclFiles.simple)))(
    `on all of BFCL v4's simple, multiple, parallel, parallel-multiple and irrelevance entries (${shared})`,
    () => {
      const files: Record<CheckCategory, string> = {
        ...bfclFiles,
        parallel_multiple: 'BFCL_v4_parallel_multiple.json',
      };
      const items: AgreementItem[] = [];
      for (const [category, file] of Object.entries(files) as [CheckCategory, string][]) {
        const lines = (path: string) => readFileSync(join(shared, path), 'utf8').split('\n').filter(Boolean);
        const answers = category === 'irrelevance' ? null : lines(`possible_answer/${file}`);
        lines(file).forEach((line, index) => items.push(parseBfclEntry(category, line, answers?.[index] ?? null)));
      }
      const report = checkerAgreement(items);
      expect(report.entries).toBe(1240);
      expect(report.disagreements).toEqual([]);
    },
    60_000,
  );
});
