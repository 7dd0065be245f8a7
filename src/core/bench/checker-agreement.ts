/**
 * How far the checker agrees with BFCL's possible answers: every right output built from an answer
 * should pass, every plausibly wrong one should fail. Used by the checker's tests and by
 * `npm run eval:bfcl-checker`, which prints the numbers for all of BFCL's entries.
 */
import { rightOutputs, wrongOutputs, type AnswerItem, type MistakeKind } from './answer-variants.ts';
import { checkCalls, type CheckCategory, type ModelCall } from './ast-checker.ts';

export interface AgreementItem extends AnswerItem {
  id: string;
  category: CheckCategory;
}

export interface Disagreement {
  id: string;
  expected: 'pass' | 'fail';
  kind: MistakeKind | 'right';
  calls: ModelCall[];
  error: string | null;
}

export interface AgreementReport {
  entries: number;
  right: { checked: number; passed: number };
  wrong: { checked: number; failed: number; byKind: Partial<Record<MistakeKind, { checked: number; failed: number }>> };
  /** Share of all outputs on which the checker said what was expected. */
  agreement: number;
  disagreements: Disagreement[];
}

export function checkerAgreement(items: readonly AgreementItem[]): AgreementReport {
  const report: AgreementReport = {
    entries: items.length,
    right: { checked: 0, passed: 0 },
    wrong: { checked: 0, failed: 0, byKind: {} },
    agreement: 1,
    disagreements: [],
  };
  for (const item of items) {
    const check = (calls: ModelCall[]) => checkCalls(item.category, item.functions, calls, item.answer);
    for (const calls of item.category === 'irrelevance' ? [[]] : rightOutputs(item)) {
      const result = check(calls);
      report.right.checked++;
      if (result.valid) report.right.passed++;
      else
        report.disagreements.push({ id: item.id, expected: 'pass', kind: 'right', calls, error: result.error ?? null });
    }
    for (const wrong of wrongOutputs(item)) {
      const result = check(wrong.calls);
      const tally = (report.wrong.byKind[wrong.kind] ??= { checked: 0, failed: 0 });
      report.wrong.checked++;
      tally.checked++;
      if (!result.valid) {
        report.wrong.failed++;
        tally.failed++;
      } else {
        report.disagreements.push({ id: item.id, expected: 'fail', kind: wrong.kind, calls: wrong.calls, error: null });
      }
    }
  }
  const checked = report.right.checked + report.wrong.checked;
  report.agreement = checked ? (report.right.passed + report.wrong.failed) / checked : 1;
  return report;
}
