/**
 * Every figure in token-budget.ts, recomputed with Qwen3's real tokenizer from the samples below
 * (invented names and answers shaped like the corpus's: names of 4 to 40 characters). A changed
 * tokenizer or a changed sample fails here until the module says the same.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { qwen3EmptyThinkBlock } from '../engines/engine.ts';
import { qwen3Tokens } from '../engines/qwen3-tokens.ts';
import { layoutJson, type TokenMeasure } from '../engines/realistic-output.ts';
import {
  answerTokens,
  idListCallTokens,
  judgementFrameTokens,
  judgementItemTokens,
  judgementMaxTokens,
  largestCallTokens,
  linkIdTokens,
  planTurnMaxTokens,
  stopTokens,
  thinkBlockTokens,
} from './token-budget.ts';

const names = [
  'Acme',
  'Brightdesk',
  'Zeta Biosciences',
  'Northwind Robotics',
  'Quill & Ledger',
  'Orbital Foundry AI',
  'Helio',
  'Paperplane Payments',
  'Kestrel Labs',
  'Lumen Health Analytics',
  'Tidewater Climate Systems',
  'Cobalt',
  'Ferro Fintech',
  'Juniper Dev Tools',
  'Marigold Security',
  'Nimbus Data Infrastructure',
  'Osprey',
  'Verdant Agritech Cooperative',
  'Sable Quantum Computing Laboratories Ltd',
  'Wren',
];

const answers = [
  'Added Brightdesk and Kestrel Labs to the CRM with the tag newsletter-nov, tagged Acme Robotics as robotics, and exported the five startups of this issue as CSV. Northwind Robotics was already in the CRM, so nothing was changed for it.',
  '已将 Brightdesk 和 Kestrel Labs 添加到客户管理系统，并加上标签 newsletter-nov；为 Acme Robotics 加上了机器人标签，并把本期的五家初创公司导出为 CSV。Northwind Robotics 已经在系统里，所以没有改动。',
  'Brightdesk と Kestrel Labs を CRM に追加し、newsletter-nov のタグを付けました。Acme Robotics にはロボティクスのタグを付け、今号のスタートアップ五社を CSV に書き出しました。Northwind Robotics はすでに CRM にあったので変更していません。',
];

const longTags = ['newsletter-nov', 'ai-infrastructure', 'robotics', 'seed-round', 'portfolio-review-2025'];

let tokens: TokenMeasure;
beforeAll(() => {
  tokens = qwen3Tokens();
});

const count = (text: string) => tokens.count(text);
const judgement = (size: number, id: (index: number) => string) =>
  Object.fromEntries(names.slice(0, size).map((name, index) => [id(index), { startup: false, name }]));

describe('token budgets, recomputed from the Qwen3 tokenizer', () => {
  it('the think block and the judgement frame', () => {
    expect(count(qwen3EmptyThinkBlock)).toBe(thinkBlockTokens);
    expect(count('{}')).toBe(judgementFrameTokens);
    expect(stopTokens).toBe(1);
  });

  it('one judged link costs at most judgementItemTokens, for the widest id and every sample name', () => {
    const costs = names.flatMap((name) =>
      [true, false].map((startup) => count(`"L9999":${JSON.stringify({ startup, name })},`)),
    );
    expect(Math.max(...costs)).toBe(judgementItemTokens);
  });

  it('a whole compact judgement fits its budget at every size, with the think block and the stop token', () => {
    for (let size = 1; size <= names.length; size++) {
      const wide = layoutJson(
        judgement(size, (index) => `L${9980 + index}`),
        'compact',
      );
      expect(thinkBlockTokens + count(wide) + stopTokens, `${size} links`).toBeLessThanOrEqual(
        judgementMaxTokens(size),
      );
    }
  });

  it('padded JSON does not fit: indented, the sample costs more than today’s 22 per link', () => {
    const sample = judgement(20, (index) => `L${index + 1}`);
    const perLink = (layout: 'compact' | 'indented') => count(layoutJson(sample, layout)) / 20;
    expect(perLink('compact')).toBeLessThan(judgementItemTokens);
    expect(perLink('indented')).toBeGreaterThan(22);
    expect(thinkBlockTokens + count(layoutJson(sample, 'indented'))).toBeGreaterThan(judgementMaxTokens(20));
  });

  it('an Ask turn: the 600-character answer in the densest script, the largest call, id lists', () => {
    const densest = Math.max(...answers.map((answer) => count(answer) / answer.length));
    const frame = Math.max(...answers.map((answer) => count(JSON.stringify({ answer })) - count(answer)));
    expect(Math.ceil(600 * densest) + frame).toBe(answerTokens);
    expect(
      count(
        JSON.stringify({
          tool: 'add_company',
          arguments: { link_id: 'L9999', name: 'Sable Quantum Computing Laboratories Ltd', tags: longTags },
        }),
      ),
    ).toBe(largestCallTokens);
    const listing = (ids: number) =>
      count(
        JSON.stringify({
          tool: 'export_csv',
          arguments: { link_ids: Array.from({ length: ids }, (_, index) => `L${9990 - index}`) },
        }),
      );
    expect(listing(0)).toBe(idListCallTokens);
    expect((listing(10) - listing(0)) / 10).toBeLessThanOrEqual(linkIdTokens);
    expect(thinkBlockTokens + listing(10) + stopTokens).toBeLessThanOrEqual(planTurnMaxTokens(10));
    expect(planTurnMaxTokens(0)).toBe(thinkBlockTokens + answerTokens + stopTokens);
  });
});
