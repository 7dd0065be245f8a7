import { describe, expect, it } from 'vitest';
import { ScriptedEngine } from '../engines/scripted.ts';
import { judgeOracle } from '../../../tests/support/oracles.ts';
import { applyCorrections } from '../corrections/apply.ts';
import { makeCorrection } from '../corrections/correction.ts';
import { linkCandidate, linkReport, MemoryCrm, sandboxPorts } from '../bench/sandbox.ts';
import { runNewsletterJob } from './newsletter-job.ts';

const links = [
  linkCandidate({ id: 'L1', domain: 'acme.ai', name: 'Acme', score: 0.95, context: 'Acme raised $5M.' }),
  linkCandidate({ id: 'L2', domain: 'bolt.dev', kind: 'other', score: 0.6, name: 'Bolt', context: 'Bolt launched.' }),
];

describe('runNewsletterJob with the person’s corrections applied', () => {
  it('a link marked "not a startup" never reaches the model and is listed under Maybe with the correction', async () => {
    const marked = makeCorrection(
      'not-startup',
      { domain: 'acme.ai', name: 'Acme', sender: '', features: [], score: 0.95 },
      { date: Date.UTC(2026, 11, 3), source: 'results table: test' },
    );
    const report = applyCorrections(linkReport(links), [marked]);
    const asked: string[] = [];
    const engine = new ScriptedEngine(
      judgeOracle((id) => {
        asked.push(id);
        return { startup: true, name: 'Bolt' };
      }),
    );
    const result = await runNewsletterJob({
      engines: { primary: engine },
      ports: sandboxPorts(report, new MemoryCrm([])),
    });
    expect(asked).not.toContain('L1');
    expect(result.rows.map((row) => row.id)).toEqual(['L2']);
    expect(result.maybe.map((row) => [row.id, row.reason, row.decidedBy])).toEqual([
      ['L1', 'Not a startup: you marked acme.ai as not a startup on 3 Dec.', 'your correction'],
    ]);
    // Every row carries what a correction of it would record.
    expect(result.rows[0]!.correction).toMatchObject({ domain: 'bolt.dev', name: 'Bolt' });
  });

  it('lists the links the rules turned down outright, with their correction basis, but none on a shared platform nor one with nothing to judge by', async () => {
    const report = applyCorrections(
      linkReport([
        ...links,
        linkCandidate({ id: 'L3', domain: 'quietloom.io', kind: 'other', score: 0.1, name: 'Quietloom' }),
        linkCandidate({ id: 'L4', domain: 'twitter.com', kind: 'social', score: 0.05, name: 'Twitter' }),
        linkCandidate({ id: 'L5', domain: 'github.com', kind: 'code', score: 0.1, name: 'quietloom/cli' }),
        // Behind an opaque tracker with no words: its only domain is the tracker's.
        linkCandidate({
          id: 'L6',
          domain: 'news.example',
          host: 'elink.news.example',
          kind: 'other',
          score: 0.01,
          name: 'news.example',
          text: ' → ',
          needsNetwork: true,
          tracker: 'beehiiv',
        }),
        // Behind one too, but its anchor names a company: a person can judge it.
        linkCandidate({
          id: 'L7',
          domain: 'news.example',
          kind: 'other',
          score: 0.1,
          name: 'Loomwise',
          text: 'Loomwise',
          needsNetwork: true,
          tracker: 'beehiiv',
        }),
      ]),
      [],
    );
    const result = await runNewsletterJob({
      engines: { primary: null },
      ports: sandboxPorts(report, new MemoryCrm([])),
    });
    expect(result.turnedDown.map((row) => [row.id, row.name, row.decidedBy])).toEqual([
      ['L3', 'Quietloom', 'rules'],
      ['L7', 'Loomwise', 'rules'],
    ]);
    expect(result.turnedDown[0]!.correction).toMatchObject({ domain: 'quietloom.io', name: 'Quietloom' });
    expect([...result.rows, ...result.maybe].map((row) => row.id)).not.toContain('L3');
  });
});
