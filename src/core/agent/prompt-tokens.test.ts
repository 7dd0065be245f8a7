import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qwen3Tokens } from '../engines/qwen3-tokens.ts';
import { linkCandidate } from '../bench/sandbox.ts';
import { planBatches, maxPromptTokensPerCall } from './judge-batches.ts';
import { candidateLine, judgeSystemPrompt } from './judge-prompt.ts';
import { promptTokenBound } from './prompt-tokens.ts';

const tokens = qwen3Tokens();

const samples = {
  english: 'L3 bolt.dev | text: Bolt | sentence: Bolt Labs launched an inference API for robotics teams, raising $12M.',
  chinese:
    'L4 unitree.com | text: 宇树科技 | sentence: 深圳的机器人初创公司宇树科技完成了新一轮融资，投资方包括红杉中国。',
  japanese:
    'L5 sakana.ai | text: サカナAI | sentence: 東京のスタートアップ、サカナAIは新しい言語モデルを発表し、資金調達を完了しました。',
  korean: 'L6 rebellions.ai | sentence: 서울의 스타트업이 새로운 로봇 플랫폼을 출시했습니다.',
  russian: 'L7 example.ru | sentence: Московский стартап привлёк инвестиции для развития платформы.',
  accents: 'L8 zurich.ch | sentence: Société Générale à Zürich, Ærø, Łódź, İstanbul.',
  digits: 'L9 numbers.io | sentence: 2026-12-05 12345678 $1,234,567.89 raised in round 3',
  url: 'L10 example-startup.io | https://www.example-startup.io/blog/2026/launch?utm_source=newsletter&utm_medium=email',
  emoji: 'L11 launch.dev | sentence: 🚀🔥💡 launch day 🎉 for the team',
  thai: 'L12 bangkok.co | sentence: สตาร์ทอัพในกรุงเทพฯ ระดมทุนรอบใหม่',
  hindi: 'L13 bengaluru.in | sentence: बेंगलुरु का स्टार्टअप नया फंड जुटाता है',
};

describe("promptTokenBound: a per-script bound never below Qwen3's real count", () => {
  it.each(Object.entries(samples))('%s', (_, text) => {
    expect(promptTokenBound(text)).toBeGreaterThanOrEqual(tokens.count(text));
  });

  it('stays close for English (batches are not cut needlessly small) and counts CJK as characters ÷ 3 did not', () => {
    expect(promptTokenBound(samples.english)).toBeLessThanOrEqual(2.5 * tokens.count(samples.english));
    expect(tokens.count(samples.japanese)).toBeGreaterThan(Math.ceil(samples.japanese.length / 3));
  });

  it("a Japanese newsletter's full batches fit a 4,096-token window and the 3,000-token cap, counted by Qwen3", () => {
    const sentence = '東京のスタートアップ、サカナAIは新しい言語モデルを発表し、シリーズBで資金調達を完了しました。';
    const lines = Array.from({ length: 60 }, (_, index) => {
      const link = linkCandidate({
        id: `L${index}`,
        domain: `startup${index}.jp`,
        text: 'サカナAI',
        context: sentence,
      });
      return { id: link.id, line: candidateLine(link, undefined) };
    });
    const byId = new Map(lines.map((line) => [line.id, line.line]));
    const batches = planBatches(lines, { id: 'q', model: 'q', location: 'test', size: 'small', contextWindow: 4096 });
    for (const batch of batches) {
      const prompt = tokens.count(`${judgeSystemPrompt}\n${batch.map((id) => byId.get(id)).join('\n')}`);
      expect(prompt).toBeLessThanOrEqual(maxPromptTokensPerCall);
    }
  });

  const corpus = join(import.meta.dirname, '../../../../shared/corpus');
  it.skipIf(!existsSync(join(corpus, 'labels')))(
    `holds on every judge line of the labelled corpus (${corpus})`,
    async () => {
      const { extractLinks } = await import('../links/pipeline.ts');
      const { splitCandidates } = await import('./candidates.ts');
      let lines = 0;
      for (const sender of readdirSync(join(corpus, 'labels')).sort()) {
        for (const file of readdirSync(join(corpus, 'labels', sender))) {
          const label = JSON.parse(readFileSync(join(corpus, 'labels', sender, file), 'utf8')) as { file: string };
          const raw = join(corpus, label.file);
          if (!existsSync(raw)) continue;
          const report = await extractLinks(new Uint8Array(readFileSync(raw)), { fileName: basename(raw) });
          for (const link of splitCandidates(report.links).uncertain) {
            const line = candidateLine(link, undefined);
            expect(promptTokenBound(line), line).toBeGreaterThanOrEqual(tokens.count(line));
            lines++;
          }
        }
      }
      // Enough lines to mean something. The count follows the committed weights (about 300 of the
      // corpus's links are left to the model today), so the floor sits well below it: a retrain
      // should not fail a test about token counts.
      expect(lines).toBeGreaterThan(150);
    },
    120_000,
  );
});
