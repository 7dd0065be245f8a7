import { describe, expect, it } from 'vitest';
import { ScriptedEngine } from '../engines/scripted.ts';
import type { NewsletterStageEvent } from './job-stages.ts';
import { judgeOracle, requestedIds } from '../../../tests/support/oracles.ts';
import { splitCandidates } from './candidates.ts';
import { planBatches } from './judge-batches.ts';
import { nameIsGrounded } from './judge-gate.ts';
import { judgeByVote } from './judge-votes.ts';
import { runNewsletterJob } from './newsletter-job.ts';
import { fullRecovery, type Recovery } from './recovery.ts';
import { linkCandidate, linkReport, MemoryCrm, sandboxPorts } from '../bench/sandbox.ts';

const links = [
  linkCandidate({ id: 'L1', domain: 'acme.ai', name: 'Acme', score: 0.95, context: 'Acme raised $5M.' }),
  linkCandidate({ id: 'L2', domain: 'twitter.com', kind: 'social', score: 0.1, name: 'Twitter' }),
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
    id: 'L4',
    domain: 'blog.example',
    kind: 'other',
    score: 0.55,
    name: 'Blog',
    context: 'A <b>blog</b> post about agents.',
  }),
  linkCandidate({
    id: 'L5',
    domain: 'quill.app',
    kind: 'sponsor',
    score: 0.3,
    name: 'Quill',
    text: 'Quill',
    context: 'Sponsored by Quill, notes for teams.',
  }),
];
const report = linkReport(links);

/** Two startups behind one opaque tracker (one sure, one uncertain): their only domain is the tracker's. */
const trackedLinks = [
  linkCandidate({
    id: 'L1',
    domain: 'sendgrid.net',
    host: 'u1.ct.sendgrid.net',
    needsNetwork: true,
    tracker: 'sendgrid',
    name: 'Harbourline',
    text: 'Harbourline',
    score: 0.9,
    context: 'Harbourline raised $4M to automate port paperwork.',
  }),
  linkCandidate({
    id: 'L2',
    domain: 'sendgrid.net',
    host: 'u1.ct.sendgrid.net',
    needsNetwork: true,
    tracker: 'sendgrid',
    kind: 'other',
    name: 'Driftwell',
    text: 'Driftwell',
    score: 0.6,
    context: 'We also liked Driftwell for sleep tracking.',
  }),
];
const truth: Record<string, { startup: boolean; name: string }> = {
  L3: { startup: true, name: 'Bolt Labs' },
  L4: { startup: false, name: 'Blog' },
  L5: { startup: true, name: 'Quill' },
};

describe('runNewsletterJob: the model only judges the uncertain links', () => {
  it('splits links into certain startups, excluded and uncertain by the rules', () => {
    const split = splitCandidates(links);
    expect(split.certain.map((link) => link.id)).toEqual(['L1']);
    expect(split.excluded.map((link) => link.id)).toEqual(['L2']);
    expect(split.uncertain.map((link) => link.id)).toEqual(['L3', 'L4', 'L5']);
  });

  it('asks about the uncertain links only, in compact lines, with ids constrained to the batch', async () => {
    const crm = new MemoryCrm([{ name: 'Acme', domain: 'acme.ai' }]);
    const engine = new ScriptedEngine(judgeOracle((id) => truth[id]!));
    const result = await runNewsletterJob({ engines: { primary: engine }, ports: sandboxPorts(report, crm) });
    expect(result.rows.map((row) => [row.id, row.name, row.status, row.decidedBy])).toEqual([
      ['L1', 'Acme', 'in-crm', 'rules'],
      ['L3', 'Bolt Labs', 'not-in-crm', 'model, confirmed by a second sample'],
      ['L5', 'Quill', 'not-in-crm', 'model, confirmed by a second sample'],
    ]);
    // The uncertain link the model turned down is kept, with its CRM match, for the table's Maybe group.
    expect(result.maybe.map((row) => [row.id, row.status, row.decidedBy])).toEqual([
      ['L4', 'not-in-crm', 'model, confirmed by a second sample'],
    ]);
    const [judge, vote] = engine.requests;
    expect(requestedIds(judge!)).toEqual(['L3', 'L4', 'L5']);
    expect(JSON.parse(judge!.response_format!.schema).additionalProperties).toBe(false);
    const prompt = judge!.messages.map((message) => message.content).join('\n');
    expect(prompt).not.toContain('twitter.com');
    expect(prompt).not.toContain('acme.ai');
    expect(prompt).toContain('L3 bolt.dev | text: Bolt | sentence: Bolt Labs launched an API.');
    // Every batch is sampled twice, the second time in another order; the samples agree, so no third is needed.
    expect(requestedIds(vote!)).not.toEqual(['L3', 'L4', 'L5']);
    expect(requestedIds(vote!).sort()).toEqual(['L3', 'L4', 'L5']);
    expect(vote!.messages[1]!.content.indexOf('L3 bolt.dev')).toBeGreaterThan(
      vote!.messages[1]!.content.indexOf('L5 '),
    );
    expect(vote!.temperature).toBeGreaterThan(0);
    expect(engine.requests).toHaveLength(2);
    expect(result.trace.steps.map((step) => step.kind)).toEqual(['tools', 'tools', 'tools', 'judge', 'vote', 'tools']);
  });

  it('asks a third time about the links two samples disagree on, and lets the majority decide', async () => {
    const engine = new ScriptedEngine([
      '{"L3":{"startup":false,"name":"Bolt"},"L4":{"startup":true,"name":"Blog"},"L5":{"startup":false,"name":"Quill"}}',
      '{"L3":{"startup":true,"name":"Bolt"},"L4":{"startup":false,"name":"Blog"},"L5":{"startup":false,"name":"Quill"}}',
      '{"L3":{"startup":true,"name":"Bolt Labs"},"L4":{"startup":true,"name":"Blog"}}',
    ]);
    const result = await runNewsletterJob({ engines: { primary: engine }, ports: sandboxPorts(report) });
    expect(requestedIds(engine.requests[2]!).sort()).toEqual(['L3', 'L4']);
    expect(result.judgements.map((judgement) => [judgement.id, judgement.startup, judgement.decidedBy])).toEqual([
      ['L3', true, 'model, by a majority of three samples'],
      ['L4', true, 'model, by a majority of three samples'],
      ['L5', false, 'model, confirmed by a second sample'],
    ]);
  });

  it("lets the rules break the model's tie when no third sample passes the gates", async () => {
    const engine = new ScriptedEngine([
      '{"L3":{"startup":false,"name":"Bolt"},"L4":{"startup":false,"name":"Blog"},"L5":{"startup":false,"name":"Quill"}}',
      '{"L3":{"startup":true,"name":"Bolt"},"L4":{"startup":false,"name":"Blog"},"L5":{"startup":false,"name":"Quill"}}',
      'x',
      'x',
      'x',
    ]);
    const result = await runNewsletterJob({ engines: { primary: engine }, ports: sandboxPorts(report) });
    expect(result.judgements[0]).toEqual({
      id: 'L3',
      startup: true,
      name: 'Bolt',
      decidedBy: "rules, breaking the model's tie",
    });
  });

  it('keeps the rules where the model never passes the gates', async () => {
    const engine = new ScriptedEngine(['{"L3":', 'nope', '{"L9":{"startup":true,"name":"X"}}']);
    const result = await runNewsletterJob({ engines: { primary: engine }, ports: sandboxPorts(report) });
    expect(result.judgements.map((judgement) => [judgement.id, judgement.startup, judgement.decidedBy])).toEqual([
      ['L3', true, 'rules (the model did not pass the gates)'],
      ['L4', true, 'rules (the model did not pass the gates)'],
      ['L5', false, 'rules (the model did not pass the gates)'],
    ]);
    // The batch, its halves, then each link alone: each asked once and repaired once, then the rules.
    expect(engine.requests.map(requestedIds)).toEqual([
      ['L3', 'L4', 'L5'],
      ['L3', 'L4', 'L5'],
      ['L3', 'L4'],
      ['L3', 'L4'],
      ['L3'],
      ['L3'],
      ['L4'],
      ['L4'],
      ['L5'],
      ['L5'],
    ]);
    const fallback = result.trace.steps.find((step) => step.kind === 'fallback')!;
    expect(fallback.label).toBe('the rules decide 3 links the model could not (L3, L4, L5)');
    expect(fallback.result).toEqual({
      L3: { startup: true, decidedBy: 'rules (the model did not pass the gates)' },
      L4: { startup: true, decidedBy: 'rules (the model did not pass the gates)' },
      L5: { startup: false, decidedBy: 'rules (the model did not pass the gates)' },
    });
    expect(result.rows.find((row) => row.id === 'L3')!.reason).toMatch(
      /^decided by the rules \(the model did not pass the gates\)/,
    );
  });

  it('a link the model keeps answering in broken JSON costs that link alone: the batch splits around it', async () => {
    const oracle = judgeOracle((id) => truth[id]!);
    const engine = new ScriptedEngine((request, index) => {
      const answer = oracle(request, index) as string;
      return requestedIds(request).includes('L4') ? answer.replace(/"L4":\{/, '"L4":{"startup" true,') : answer;
    });
    const result = await runNewsletterJob({ engines: { primary: engine }, ports: sandboxPorts(report) });
    expect(result.judgements.map((judgement) => [judgement.id, judgement.startup, judgement.decidedBy])).toEqual([
      ['L3', true, 'model, confirmed by a second sample'],
      ['L4', true, 'rules (the model did not pass the gates)'],
      ['L5', true, 'model, confirmed by a second sample'],
    ]);
    expect(result.trace.steps.find((step) => step.kind === 'fallback')!.label).toBe(
      'the rules decide 1 link the model could not (L4)',
    );
  });

  it('an answer cut at max_tokens splits the batch instead of being repaired in a longer conversation', async () => {
    const oracle = judgeOracle((id) => truth[id]!);
    const engine = new ScriptedEngine((request, index) => {
      const answer = oracle(request, index) as string;
      return requestedIds(request).length > 1 ? { content: answer.slice(0, 20), finish_reason: 'length' } : answer;
    });
    const result = await runNewsletterJob({ engines: { primary: engine }, ports: sandboxPorts(report) });
    expect(result.rows.map((row) => [row.id, row.decidedBy])).toEqual([
      ['L1', 'rules'],
      ['L3', 'model, confirmed by a second sample'],
      ['L5', 'model, confirmed by a second sample'],
    ]);
    // No request ever carries a repair turn: the cut batch is asked again in halves, fresh.
    expect(engine.requests.every((request) => request.messages.length === 2)).toBe(true);
    expect(engine.requests.slice(0, 3).map(requestedIds)).toEqual([['L3', 'L4', 'L5'], ['L3', 'L4'], ['L3']]);
  });

  it('accepts the grounded part of an answer and re-asks only about an invented name', async () => {
    const engine = new ScriptedEngine([
      '{"L3":{"startup":true,"name":"Bolt"},"L4":{"startup":false,"name":"Blog"},"L5":{"startup":true,"name":"Zenith Robotics"}}',
      '{"L5":{"startup":true,"name":"Quill"}}',
      '{"L3":{"startup":true,"name":"Bolt"},"L4":{"startup":false,"name":"Blog"},"L5":{"startup":true,"name":"Quill"}}',
    ]);
    const result = await runNewsletterJob({ engines: { primary: engine }, ports: sandboxPorts(report) });
    expect(requestedIds(engine.requests[1]!)).toEqual(['L5']);
    expect(result.trace.steps[3]!.gates.at(-1)).toMatchObject({ gate: 'state', ok: false });
    expect(result.trace.steps[3]!.gates.at(-1)!.detail).toContain('"Zenith Robotics" does not appear');
    expect(result.rows.map((row) => row.name)).toEqual(['Acme', 'Bolt', 'Quill']);
  });

  it('escalates to the fallback engine when the small model never passes, and the trace says where each call ran', async () => {
    const small = new ScriptedEngine(() => 'I think L3 is a startup', { id: 'small', location: 'on-device' });
    const large = new ScriptedEngine(
      judgeOracle((id) => truth[id]!),
      { id: 'large', size: 'large', location: 'cloud' },
    );
    const result = await runNewsletterJob({
      engines: { primary: small, fallback: large },
      ports: sandboxPorts(report),
    });
    expect(result.rows.map((row) => row.id)).toEqual(['L1', 'L3', 'L5']);
    const judged = result.trace.steps.filter((step) => step.engine);
    expect(judged.slice(0, 2).map((step) => [step.engine!.location, step.escalated, step.attempt])).toEqual([
      ['on-device', false, 0],
      ['on-device', false, 1],
    ]);
    expect(judged[2]).toMatchObject({ engine: { id: 'large', size: 'large', location: 'cloud' }, escalated: true });
    expect(large.requests[0]!.messages).toHaveLength(2);
  });

  it('counts a link read out of its tracker apart from one whose tracker hides the address', async () => {
    const events: NewsletterStageEvent[] = [];
    const decoded = linkCandidate({ id: 'L3', domain: 'quill.app', tracker: 'kit', name: 'Quill', score: 0.9 });
    await runNewsletterJob({
      engines: { primary: new ScriptedEngine(judgeOracle(() => ({ startup: true, name: 'Driftwell' }))) },
      ports: sandboxPorts(linkReport([...trackedLinks, decoded])),
      onStage: (event) => events.push(event),
    });
    const links = events.find((event) => event.stage === 'links' && event.status === 'done');
    expect(links).toMatchObject({ counts: { links: 3, unwrapped: 1, hidden: 2 } });
  });

  it('reports each stage as it starts and ends, with its counts', async () => {
    const events: NewsletterStageEvent[] = [];
    const crm = new MemoryCrm([{ name: 'Acme', domain: 'acme.ai' }]);
    const engine = new ScriptedEngine(judgeOracle((id) => truth[id]!));
    await runNewsletterJob({
      engines: { primary: engine },
      ports: sandboxPorts(report, crm),
      onStage: (event) => events.push(event),
    });
    expect(events).toEqual([
      { stage: 'links', status: 'running' },
      {
        stage: 'links',
        status: 'done',
        warnings: [],
        counts: { links: 5, unwrapped: 0, hidden: 0, certain: 1, uncertain: 3, excluded: 1, ms: 1 },
      },
      { stage: 'crm', status: 'running', checking: 4, crm: 'test CRM' },
      { stage: 'crm', status: 'done', counts: { checked: 4, inCrm: 1, possible: 0, notInCrm: 3 } },
      { stage: 'model', status: 'running', calls: 1, corrected: 0, step: expect.stringMatching(/^judge 3 uncertain/) },
      { stage: 'model', status: 'running', calls: 2, corrected: 0, step: expect.stringMatching(/^another sample/) },
      { stage: 'model', status: 'done', counts: { judged: 3, byModel: 3, calls: 2, corrected: 0 } },
    ]);

    const toolsOnly: NewsletterStageEvent[] = [];
    await runNewsletterJob({
      engines: { primary: null },
      ports: sandboxPorts(report),
      onStage: (e) => toolsOnly.push(e),
    });
    expect(toolsOnly.at(-1)).toEqual({ stage: 'model', status: 'skipped', uncertain: 3 });
  });

  it('works without a model: the rules decide and say so', async () => {
    const result = await runNewsletterJob({ engines: { primary: null }, ports: sandboxPorts(report) });
    expect(result.rows.map((row) => row.id)).toEqual(['L1', 'L3', 'L4']);
    expect(result.judgements.every((judgement) => judgement.decidedBy === 'rules (no model loaded)')).toBe(true);
    // Nothing judged the uncertain links: the trace says where they went, not that they were judged.
    const kept = result.judgements.filter((judgement) => judgement.startup).length;
    expect(result.trace.outcome).toMatch(
      new RegExp(
        `; ${result.judgements.length} uncertain links and no model loaded: ${kept} kept by the rules, the rest in Maybe \\(${result.maybe.length} rows?\\)$`,
      ),
    );
  });

  it('sizes batches to the context window and never past 3000 prompt tokens', () => {
    const lines = Array.from({ length: 90 }, (_, index) => ({
      id: `L${index}`,
      line: `L${index} x.com | ${'word '.repeat(60)}`,
    }));
    const small = planBatches(lines, { id: 'a', model: 'a', location: 'test', size: 'small', contextWindow: 1024 });
    const large = planBatches(lines, { id: 'b', model: 'b', location: 'test', size: 'small', contextWindow: 32768 });
    expect(small.length).toBeGreaterThan(large.length);
    expect(small.flat()).toEqual(lines.map((line) => line.id));
    for (const batch of large) expect(batch.length * 105).toBeLessThanOrEqual(3000);
  });

  it('makes one row of two links to the same company, and the trace says how many links it came from', async () => {
    const twice = linkReport([
      linkCandidate({ id: 'L1', domain: 'acme.ai', name: 'Acme', score: 0.95 }),
      linkCandidate({ id: 'L2', domain: 'acme.ai', url: 'https://acme.ai/pricing', name: 'Acme pricing', score: 0.9 }),
    ]);
    const result = await runNewsletterJob({ engines: { primary: null }, ports: sandboxPorts(twice) });
    expect(result.rows.map((row) => row.id)).toEqual(['L1']);
    expect(result.trace.outcome).toBe('1 startup (from 2 links): 2 sure by the rules; no uncertain links');
  });

  it('grounds names in the link text, sentence or domain', () => {
    const link = links[2]!;
    expect(nameIsGrounded('Bolt Labs', link)).toBe(true);
    expect(nameIsGrounded('bolt', link)).toBe(true);
    expect(nameIsGrounded('Zenith', link)).toBe(false);
    expect(nameIsGrounded('', link)).toBe(false);
    // A tracker's domain backs no name.
    expect(nameIsGrounded('Sendgrid', trackedLinks[0]!)).toBe(false);
  });

  it("behind a tracker, the tracker's domain is nobody's: not matched in the CRM, not shown as the site, not shown to the model", async () => {
    // A company added from an earlier issue before this was fixed carries the tracker's domain.
    const crm = new MemoryCrm([{ name: 'Kelpfield', domain: 'sendgrid.net' }]);
    const engine = new ScriptedEngine(judgeOracle(() => ({ startup: true, name: 'Driftwell' })));
    const result = await runNewsletterJob({
      engines: { primary: engine },
      ports: sandboxPorts(linkReport(trackedLinks), crm),
    });
    expect(result.rows.map((row) => [row.name, row.domain, row.status])).toEqual([
      ['Harbourline', '', 'not-in-crm'],
      ['Driftwell', '', 'not-in-crm'],
    ]);
    const prompt = engine.requests[0]!.messages.map((message) => message.content).join('\n');
    expect(prompt).toContain('L2 (tracker) | text: Driftwell');
    expect(prompt).not.toContain('sendgrid');
  });
});

describe('recovery switches (bench:agent ablation): each one off changes what the job does', () => {
  /** Broken JSON for L4 in every answer that includes it; the rest right. */
  const stubbornOnL4 = () => {
    const oracle = judgeOracle((id) => truth[id]!);
    return new ScriptedEngine((request, index) => {
      const answer = oracle(request, index) as string;
      return requestedIds(request).includes('L4') ? answer.replace(/"L4":\{/, '"L4":{"startup" true,') : answer;
    });
  };
  const run = async (recovery: Partial<Recovery>) => {
    const engine = stubbornOnL4();
    const result = await runNewsletterJob({
      engines: { primary: engine },
      ports: sandboxPorts(report),
      judge: (uncertain, context) => judgeByVote(uncertain, { ...context, recovery: { ...fullRecovery, ...recovery } }),
    });
    return { engine, decided: Object.fromEntries(result.judgements.map((j) => [j.id, j.decidedBy])) };
  };

  it('all on: L4 alone falls to the rules', async () => {
    const { decided } = await run({});
    expect(decided).toEqual({
      L3: 'model, confirmed by a second sample',
      L4: 'rules (the model did not pass the gates)',
      L5: 'model, confirmed by a second sample',
    });
  });

  it('split off: the whole batch falls to the rules', async () => {
    const { decided } = await run({ split: false });
    expect(new Set(Object.values(decided))).toEqual(new Set(['rules (the model did not pass the gates)']));
  });

  it('repair off: no request carries a repair turn', async () => {
    const { engine } = await run({ repair: false });
    expect(engine.requests.every((request) => request.messages.length === 2)).toBe(true);
  });

  it('votes off: one sample decides', async () => {
    const { decided } = await run({ votes: false });
    expect(decided['L3']).toBe('model');
  });

  it('rules fallback off: the link the model could not judge is left out', async () => {
    const { decided } = await run({ rulesFallback: false });
    expect(decided['L4']).toMatch(/^left out/);
  });
});
