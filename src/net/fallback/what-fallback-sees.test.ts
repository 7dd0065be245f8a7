import { afterEach, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../../tests/servers/http.ts';
import { startOpenAICompatibleServer, type ChatBody } from '../../../tests/servers/openai-compatible.ts';
import { runNewsletterJob } from '../../core/agent/newsletter-job.ts';
import { linkCandidate, linkReport, MemoryCrm, sandboxPorts } from '../../core/bench/sandbox.ts';
import { ScriptedEngine } from '../../core/engines/scripted.ts';
import { EgressGate } from '../egress.ts';
import { OpenAICompatibleEngine } from './openai-compatible.ts';

/**
 * What a fallback sees, end to end through the real agent and the real HTTP engine: the newsletter
 * job's step (candidate links and their context), never the CRM's contents.
 */
const links = [
  linkCandidate({ id: 'L1', domain: 'acme.ai', name: 'Acme', score: 0.95, context: 'Acme raised $5M.' }),
  linkCandidate({
    id: 'L3',
    domain: 'bolt.dev',
    kind: 'other',
    score: 0.6,
    name: 'Bolt',
    text: 'Bolt',
    context: 'Bolt Labs launched an API.',
  }),
  linkCandidate({
    id: 'L5',
    domain: 'quill.app',
    kind: 'sponsor',
    score: 0.3,
    name: 'Quill',
    text: 'Quill',
    context: 'Sponsored by Quill.',
  }),
];
const crmOnly = [
  {
    name: 'Zephyrine Analytics',
    domain: 'zephyrine-analytics.example',
    notes: 'Board seat: Marguerite Oyelaran',
    tags: ['portfolio-2024'],
  },
  { name: 'Castellan Biotics', domain: 'castellanbiotics.example', notes: 'Term sheet draft', tags: ['pipeline'] },
];

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('what a fallback sees', () => {
  it('gets the step the on-device model failed — candidate links and context — and nothing from the CRM', async () => {
    server = await startOpenAICompatibleServer({
      answer: (body: ChatBody) => {
        const ids = [...(body.messages[1]?.content ?? '').matchAll(/^(L\d+) ([^\s|]+)/gm)];
        return JSON.stringify(
          Object.fromEntries(ids.map(([, id, domain]) => [id, { startup: true, name: domain!.split('.')[0] }])),
        );
      },
    });
    const gate = new EgressGate('https://sift.example');
    gate.allow(server.origin, 'fallback');
    const fallback = new OpenAICompatibleEngine({
      name: 'test',
      baseUrl: `${server.origin}/v1`,
      model: 'big',
      apiKey: 'k-999',
      gate,
    });
    const failing = new ScriptedEngine(() => 'not JSON at all');
    const crm = new MemoryCrm([
      { name: 'Acme', domain: 'acme.ai', notes: 'Seed lead: Ottoline Brandvold' },
      ...crmOnly,
    ]);

    const result = await runNewsletterJob({
      engines: { primary: failing, fallback },
      ports: sandboxPorts(linkReport(links), crm),
    });

    expect(server.requests.length).toBeGreaterThan(0);
    const bodies = server.requests.map((request) => request.body).join('\n');
    expect(bodies).toContain('bolt.dev');
    expect(bodies).toContain('Bolt Labs launched an API.');
    for (const secret of [
      'Zephyrine',
      'zephyrine-analytics',
      'Castellan',
      'Marguerite',
      'Ottoline',
      'portfolio-2024',
      'pipeline',
      'k-999',
    ]) {
      expect(bodies).not.toContain(secret);
    }
    // The certain link never needed a model, so it was not sent either.
    expect(bodies).not.toContain('acme.ai');
    expect(result.rows.find((row) => row.id === 'L3')?.decidedBy).toMatch(/model/);
    expect(result.trace.steps.some((step) => step.escalated && step.engine?.location === 'on-premises')).toBe(true);
  });
});
