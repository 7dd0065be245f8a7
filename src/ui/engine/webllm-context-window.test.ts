import type { ChatCompletionChunk as WebLLMChunk, ChatCompletionRequest as WebLLMRequest } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { runNewsletterJob } from '../../core/agent/newsletter-job.ts';
import { linkCandidate, linkReport, sandboxPorts } from '../../core/bench/sandbox.ts';
import { LlmWorkerError } from '../workers/llm.ts';
import { WebLLMEngine, type ModelWorker } from './webllm-engine.ts';

const links = [
  linkCandidate({ id: 'L1', domain: 'acme.ai', name: 'Acme', score: 0.95, context: 'Acme raised $5M.' }),
  linkCandidate({ id: 'L3', domain: 'bolt.dev', kind: 'other', score: 0.6, name: 'Bolt', context: 'Bolt launched.' }),
  linkCandidate({ id: 'L4', domain: 'blog.example', kind: 'other', score: 0.55, name: 'Blog', context: 'A post.' }),
  linkCandidate({ id: 'L5', domain: 'quill.app', kind: 'sponsor', score: 0.3, name: 'Quill', context: 'By Quill.' }),
];
const truth: Record<string, { startup: boolean; name: string }> = {
  L3: { startup: true, name: 'Bolt' },
  L4: { startup: false, name: 'Blog' },
  L5: { startup: true, name: 'Quill' },
};

/**
 * What WebLLM 0.2.86 does with a prompt longer than the context window: its engine throws
 * `ContextWindowSizeExceededError` at prefill, on the stream's first chunk (lib/index.js L647–654,
 * L13087), and its worker handler sends the error back as `err.toString()`, which Sift's worker
 * connection turns back into an error of that name (LlmWorkerError). Here a window holds the prompt
 * of one link only; a prompt that fits is answered right, after Qwen3's empty think block.
 */
class OneLinkWindowWorker implements ModelWorker {
  readonly requests: WebLLMRequest[] = [];

  async generate(request: WebLLMRequest): Promise<AsyncIterable<WebLLMChunk>> {
    this.requests.push(request);
    const prompt = String(request.messages.at(-1)!.content);
    const ids = [...prompt.matchAll(/^(L\d+) /gm)].map((match) => match[1]!);
    const chunk = (content: string, finish: 'stop' | null): WebLLMChunk => ({
      id: `c-${this.requests.length}`,
      object: 'chat.completion.chunk',
      created: 0,
      model: 'Qwen3-0.6B-q4f16_1-MLC',
      choices: [{ index: 0, delta: { content, role: 'assistant' }, finish_reason: finish, logprobs: null }],
    });
    return (async function* () {
      if (ids.length > 1) {
        const promptTokens = 900 * ids.length;
        throw new LlmWorkerError(
          `ContextWindowSizeExceededError: Prompt tokens exceed context window size: number of prompt tokens: ${promptTokens}; context window size: 1024\n` +
            'Consider shortening the prompt, or increase `context_window_size`, or using sliding window via `sliding_window_size`.',
        );
      }
      yield chunk('<think>\n\n</think>\n\n', null);
      yield chunk(JSON.stringify(Object.fromEntries(ids.map((id) => [id, truth[id]!]))), 'stop');
      yield {
        ...chunk('', null),
        choices: [],
        usage: {
          prompt_tokens: 900,
          completion_tokens: 20,
          total_tokens: 920,
          extra: {
            e2e_latency_s: 3.4,
            prefill_tokens_per_s: 300,
            decode_tokens_per_s: 40,
            time_to_first_token_s: 3,
            time_per_output_token_s: 0.025,
          },
        },
      };
    })();
  }
}

describe('a prompt past the context window (WebLLM’s ContextWindowSizeExceededError)', () => {
  it('makes the judge split the batch instead of repairing, and the run still completes with the model’s verdicts', async () => {
    const worker = new OneLinkWindowWorker();
    const engine = new WebLLMEngine(worker, { id: 'Qwen3-0.6B-q4f16_1-MLC', contextWindow: 1024 });
    const result = await runNewsletterJob({ engines: { primary: engine }, ports: sandboxPorts(linkReport(links)) });

    expect(result.trace.outcome).not.toBe('running');
    expect(result.rows.map((row) => [row.id, row.decidedBy])).toEqual([
      ['L1', 'rules'],
      ['L3', 'model, confirmed by a second sample'],
      ['L5', 'model, confirmed by a second sample'],
    ]);
    // No repair turn ever grows a conversation that is already too long: the batch is asked again in halves.
    expect(worker.requests.every((request) => request.messages.length === 2)).toBe(true);
    const asked = worker.requests.map(
      (request) => [...String(request.messages[1]!.content).matchAll(/^L\d+/gm)].length,
    );
    expect(asked.slice(0, 3)).toEqual([3, 2, 1]);
    const overflowed = result.trace.steps.find((step) => step.error?.includes('ContextWindowSizeExceededError'))!;
    expect(overflowed).toMatchObject({ kind: 'judge', attempt: 0, finishReason: 'error' });
    expect(result.trace.steps.some((step) => step.repairOf !== null)).toBe(false);
    expect(result.trace.steps.some((step) => step.kind === 'fallback')).toBe(false);
  });
});
