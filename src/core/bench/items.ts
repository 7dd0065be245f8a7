/**
 * The benchmark's items: BFCL's four categories from the shipped subset, then Sift's own judge and
 * Ask items. Quick mode is a fixed part of full mode (about 20 items).
 */
import { readBfclSubset, type BfclCategory, type BfclItem, type BfclSubset } from './bfcl.ts';
import { siftAskItems, siftJudgeItems, type AskItem, type JudgeItem } from './sift-items.ts';
import subset from './data/bfcl-subset.json' with { type: 'json' };

export const benchCategories = ['simple', 'multiple', 'parallel', 'irrelevance', 'sift_judge', 'sift_ask'] as const;
export type BenchCategory = (typeof benchCategories)[number];
export type BenchMode = 'quick' | 'full';

export const categoryLabels: Record<BenchCategory, string> = {
  simple: 'BFCL simple',
  multiple: 'BFCL multiple',
  parallel: 'BFCL parallel',
  irrelevance: 'BFCL irrelevance',
  sift_judge: 'Sift: judge links',
  sift_ask: 'Sift: plan an instruction',
};

export type BenchItem =
  | { kind: 'bfcl'; id: string; category: BfclCategory; quick: boolean; bfcl: BfclItem }
  | { kind: 'judge'; id: string; category: 'sift_judge'; quick: boolean; judge: JudgeItem }
  | { kind: 'ask'; id: string; category: 'sift_ask'; quick: boolean; ask: AskItem };

export const bfclSource = (subset as BfclSubset).source;
export const bfclSeed = (subset as BfclSubset).seed;

export function benchItems(
  mode: BenchMode,
  bfcl: readonly BfclItem[] = readBfclSubset(subset as BfclSubset),
): BenchItem[] {
  const all: BenchItem[] = [
    ...bfcl.map((item): BenchItem => ({
      kind: 'bfcl',
      id: item.id,
      category: item.category,
      quick: item.quick,
      bfcl: item,
    })),
    ...siftJudgeItems().map((judge): BenchItem => ({
      kind: 'judge',
      id: judge.id,
      category: 'sift_judge',
      quick: judge.quick,
      judge,
    })),
    ...siftAskItems().map((ask): BenchItem => ({
      kind: 'ask',
      id: ask.id,
      category: 'sift_ask',
      quick: ask.quick,
      ask,
    })),
  ];
  const chosen = mode === 'quick' ? all.filter((item) => item.quick) : all;
  return benchCategories.flatMap((category) => chosen.filter((item) => item.category === category));
}
