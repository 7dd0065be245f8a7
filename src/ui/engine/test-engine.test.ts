import { afterEach, describe, expect, it } from 'vitest';
import { runAsk } from '../../core/agent/ask.ts';
import { runNewsletterJob } from '../../core/agent/newsletter-job.ts';
import { linkCandidate, linkReport, MemoryCrm, sandboxPorts } from '../../core/bench/sandbox.ts';
import { testEngineFromPage } from './test-engine.ts';

const report = linkReport([
  linkCandidate({ id: 'L1', domain: 'acme.ai', kind: 'other', score: 0.4, text: 'Acme', context: 'Acme raised $5M.' }),
  linkCandidate({ id: 'L2', domain: 'blog.example', kind: 'other', score: 0.6, name: 'Blog' }),
]);

afterEach(() => {
  delete globalThis.__SIFT_TEST_ENGINE__;
});

describe('testEngineFromPage: the engine end-to-end tests inject', () => {
  it('is null unless a test set __SIFT_TEST_ENGINE__', () => {
    expect(testEngineFromPage()).toBeNull();
  });

  it('judges newsletter links by domain', async () => {
    globalThis.__SIFT_TEST_ENGINE__ = { judgeByDomain: { 'acme.ai': { startup: true, name: 'Acme' } } };
    const engine = testEngineFromPage()!;
    expect(engine.info).toMatchObject({ id: 'test:scripted', location: 'test' });
    const result = await runNewsletterJob({ engines: { primary: engine }, ports: sandboxPorts(report) });
    expect(result.rows.map((row) => [row.id, row.name])).toEqual([['L1', 'Acme']]);
  });

  it('plays raw outputs first, then follows the plan', async () => {
    globalThis.__SIFT_TEST_ENGINE__ = {
      outputs: ['{"tool":"extract_links","arguments":{"x":1}}'],
      plan: { calls: [{ tool: 'extract_links', arguments: {} }], answer: 'Two links.' },
      info: { contextWindow: 2048 },
    };
    const engine = testEngineFromPage()!;
    expect(engine.info.contextWindow).toBe(2048);
    const ports = sandboxPorts(report, new MemoryCrm());
    const result = await runAsk({ instruction: 'how many links?', engines: { primary: engine }, ports });
    expect(result.answer).toBe('Two links.');
    expect(result.trace.steps[0]!.gates.find((gate) => gate.gate === 'schema')?.ok).toBe(false);
  });
});

describe('testEngineFromPage under repair', () => {
  it('still finds the batch links when the request ends with the gate errors', async () => {
    globalThis.__SIFT_TEST_ENGINE__ = {
      outputs: ['not json'],
      judgeByDomain: { 'acme.ai': { startup: true, name: 'Acme' } },
    };
    const result = await runNewsletterJob({ engines: { primary: testEngineFromPage()! }, ports: sandboxPorts(report) });
    expect(result.rows.map((row) => [row.id, row.name])).toEqual([['L1', 'Acme']]);
    expect(result.trace.steps.filter((step) => step.kind === 'judge').map((step) => step.error === null)).toEqual([
      false,
      true,
    ]);
  });
});
