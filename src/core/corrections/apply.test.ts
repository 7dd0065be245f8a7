import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkCandidate } from '../bench/sandbox.ts';
import { extractLinks } from '../links/pipeline.ts';
import type { LinkCandidate, LinkReport } from '../links/types.ts';
import { applyCorrections, rankedByScorer, senderOf } from './apply.ts';
import { makeCorrection, parseCorrection } from './correction.ts';
import type { Correction, CorrectionKind } from './correction.ts';
import { personalFeatures } from './personal-features.ts';
import { learnPersonalLayer, personalSettings, unrelatedLimit } from './personal-layer.ts';

/** A link as the learned scorer left it (its reason carries the score); each test states only what matters to it. */
function link(overrides: Partial<LinkCandidate> & { url: string }): LinkCandidate {
  const url = new URL(overrides.url);
  const score = overrides.score ?? 0.3;
  return linkCandidate({
    id: 'L1',
    host: url.hostname,
    domain: url.hostname.replace(/^www\./, ''),
    originalHref: overrides.url,
    kind: score >= 0.5 ? 'startup' : 'other',
    features: ['+ the anchor is a proper name'],
    name: 'Acme',
    text: 'Acme',
    reason: `Maybe a startup (${score.toFixed(2)}): + the anchor is a proper name.`,
    ...overrides,
    score,
  });
}

/** What the ranking says of each link, without the correction basis every applied report carries. */
const ranking = (result: LinkReport) => result.links.map(({ correction: _basis, ...link }) => link);

const report = (links: LinkCandidate[], senderDomains: string[] = ['weekly.example']): LinkReport => ({
  format: 'html',
  links: links.map((item, index) => ({ ...item, id: `L${index + 1}` })),
  warnings: [],
  senderDomains,
  stats: { bytes: 0, occurrences: links.length, ms: 0 },
});

let clock = Date.UTC(2026, 11, 3, 9);
function correct(kind: CorrectionKind, of: LinkCandidate, sender = 'weekly.example', newName?: string): Correction {
  clock += 60_000;
  return makeCorrection(
    kind,
    {
      domain: of.needsNetwork ? null : of.domain,
      name: of.name,
      sender,
      features: personalFeatures(of),
      score: of.score,
    },
    { date: new Date(clock), source: 'results table: test', ...(newName ? { newName } : {}) },
  );
}

const jobsLink = (n: number, score = 0.7) =>
  link({
    url: `https://jobs${n}.example.com/careers/role-${n}`,
    name: `Bigcorp ${n}`,
    text: `Senior engineer at Bigcorp ${n}`,
    context: `Hiring: Senior engineer at Bigcorp ${n}, remote.`,
    heading: 'Jobs board',
    score,
    kind: 'startup',
  });

describe('applyCorrections: exact verdicts', () => {
  it('a domain marked "not a startup" is not one in any later newsletter, and the reason cites the date', () => {
    const acme = link({ url: 'https://acme.com/', score: 0.9, kind: 'startup' });
    const verdict = correct('not-startup', acme, 'weekly.example');
    const later = applyCorrections(report([acme], ['another-sender.example']), [verdict]).links[0]!;
    expect(later.kind).toBe('other');
    expect(later.score).toBe(0);
    expect(later.reason).toBe('Not a startup: you marked acme.com as not a startup on 3 Dec.');
    expect(later.correctedBy).toBe('you marked acme.com as not a startup on 3 Dec');
  });

  it('a wrapped link marked a startup is one again in the same sender’s next issue, not in another sender’s', () => {
    const wrapped = link({
      url: 'https://track.example/abc',
      needsNetwork: true,
      tracker: 'beehiiv',
      name: 'Quillmark',
      text: 'Quillmark',
      score: 0.3,
    });
    const verdict = correct('is-startup', wrapped);
    const next = { ...wrapped, url: 'https://track.example/other-id' };
    expect(applyCorrections(report([next]), [verdict]).links[0]).toMatchObject({ kind: 'startup', score: 1 });
    const elsewhere = applyCorrections(report([next], ['another-sender.example']), [verdict]).links[0]!;
    expect(elsewhere.kind).toBe('other');
    expect(elsewhere.correctedBy).toBeUndefined();
  });

  it('files a correction under the newsletter’s own domain, never under its sending platform', () => {
    const acme = link({ url: 'https://track.example/1', needsNetwork: true, tracker: 'hubspot', score: 0.7 });
    const marked = correct('not-startup', acme, senderOf({ senderDomains: ['hubspotemail.net', 'batch.example'] }));
    expect(marked.sender).toBe('batch.example');
    const nextIssue = report([acme], ['batch.example']);
    expect(applyCorrections(nextIssue, [marked]).links[0]!.kind).toBe('other');
    const otherNewsletterSameProvider = report([acme], ['hubspotemail.net', 'other.example']);
    expect(ranking(applyCorrections(otherNewsletterSameProvider, [marked]))).toEqual(otherNewsletterSameProvider.links);
  });

  it('the newest verdict about a link wins, and a rename gives it the person’s name', () => {
    const acme = link({ url: 'https://acme.com/', score: 0.9, kind: 'startup' });
    const no = correct('not-startup', acme);
    const yes = correct('is-startup', acme);
    const renamed = correct('rename', acme, 'weekly.example', 'Acme Robotics');
    const [result] = applyCorrections(report([acme]), [yes, renamed, no].reverse()).links;
    expect(result).toMatchObject({ kind: 'startup', name: 'Acme Robotics' });
  });
});

describe('the personal layer', () => {
  it('N identical clicks cannot push an unrelated link of the same sender over the threshold', () => {
    const startupLike = link({
      url: 'https://tool.example.io/',
      text: 'Tool',
      heading: 'Quick hits',
      score: 0.3,
    });
    const clicks = Array.from({ length: 200 }, () => ({ ...correct('is-startup', startupLike), id: 'x' }));
    const verdicts = clicks.map((click, index) => ({ ...click, id: `${click.id}${index}`, domain: `d${index}.io` }));
    // The same .io TLD and a direct link: only the broad features are shared.
    const unrelated = link({
      url: 'https://someone-else.io/blog/post',
      text: 'a long essay about markets',
      heading: 'Reading',
      score: 0.25,
    });
    const layer = learnPersonalLayer(verdicts, ['weekly.example']);
    // What every link of the sender shares never raises: a sender-wide raise would add more false startups than it finds.
    expect(layer.shift(personalFeatures(unrelated))).toBe(0);
    const after = applyCorrections(report([unrelated]), verdicts).links[0]!;
    expect(after.score).toBeLessThan(0.5);
    expect(after.kind).not.toBe('startup');
    // The clicked shape itself did move.
    expect(layer.shift(personalFeatures(startupLike))).toBeGreaterThan(1);
  });

  it('one click decides its own link only: a link sharing its heading, shape and neighbour words moves by the broad features at most', () => {
    const clicked = link({
      url: 'https://tidewaterrobotics.io/',
      text: 'Tidewater',
      context: 'Backed by Tidewater, the harbour drone maker.',
      heading: 'The Deals of the Week',
      score: 0.85,
      kind: 'startup',
    });
    const sibling = link({
      url: 'https://quillmark.dev/',
      text: 'Quillmark',
      context: 'Backed by Quillmark, the writing tools maker.',
      heading: 'The Deals of the Week',
      score: 0.9,
      kind: 'startup',
    });
    const layer = learnPersonalLayer([correct('not-startup', clicked)], ['weekly.example']);
    expect(layer.shift(personalFeatures(sibling))).toBeGreaterThanOrEqual(-unrelatedLimit - 1e-9);
    expect(applyCorrections(report([sibling]), [correct('not-startup', clicked)]).links[0]!.kind).toBe('startup');
    // Twice, on two links: the shared pattern is learned.
    const again = link({ ...clicked, url: 'https://gullwing.io/', text: 'Gullwing', score: 0.8 });
    const twice = learnPersonalLayer(
      [correct('not-startup', clicked), correct('not-startup', again)],
      ['weekly.example'],
    );
    expect(twice.shift(personalFeatures(sibling))).toBeLessThan(-unrelatedLimit);
  });

  it('learns over the words that carry meaning: no “the”, “and” or “on” from headings, anchors or neighbours', () => {
    const features = personalFeatures(
      link({
        url: 'https://acme.io/',
        text: 'Acme and Co',
        context: 'Bet on Acme and Co today.',
        heading: 'The Rundown',
      }),
    );
    expect(features).toEqual(
      expect.arrayContaining(['heading:rundown', 'heading-word:rundown', 'anchor:acme', 'left:bet']),
    );
    expect(features.filter((feature) => /:(the|and|on)$/.test(feature))).toEqual([]);
  });

  it('learns a sender’s habit: jobs at large companies marked twice are turned down in the next issue', () => {
    const taught = [correct('not-startup', jobsLink(1)), correct('not-startup', jobsLink(2))];
    const before = report([jobsLink(3)]);
    expect(before.links[0]!.kind).toBe('startup');
    const after = applyCorrections(before, taught).links[0]!;
    expect(after.kind).toBe('other');
    expect(after.score).toBeLessThan(0.5);
    expect(after.reason).toMatch(/your corrections on newsletters from weekly\.example moved it from 0\.70/);
  });

  it('one sender’s corrections leave another sender’s results exactly as they were', () => {
    const taught = [correct('not-startup', jobsLink(1)), correct('not-startup', jobsLink(2))];
    const other = report([jobsLink(3), link({ url: 'https://acme.com/', score: 0.6, kind: 'startup' })], ['b.example']);
    expect(ranking(applyCorrections(other, taught))).toEqual(other.links);
  });

  it('is deterministic: the same corrections in any order give the same weights, every time', () => {
    const taught = [1, 2, 3, 4].map((n) => correct(n % 2 ? 'not-startup' : 'is-startup', jobsLink(n, 0.4 + n / 10)));
    const probe = personalFeatures(jobsLink(9));
    const shifts = [taught, [...taught].reverse(), [taught[2]!, taught[0]!, taught[3]!, taught[1]!]].map((order) =>
      learnPersonalLayer(order, ['weekly.example']).shift(probe),
    );
    expect(new Set(shifts).size).toBe(1);
    expect(applyCorrections(report([jobsLink(9)]), taught)).toEqual(applyCorrections(report([jobsLink(9)]), taught));
  });

  it('never moves any link by more than the shift limit, whatever the corrections (property)', () => {
    const word = fc.constantFrom('bias', 'via:direct', 'tld:io', 'anchor:acme', 'heading:jobs', 'path:careers');
    const correctionArb = fc.record({
      kind: fc.constantFrom<CorrectionKind>('not-startup', 'is-startup'),
      features: fc.uniqueArray(word, { minLength: 1 }),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      day: fc.integer({ min: 1, max: 28 }),
    });
    fc.assert(
      fc.property(fc.array(correctionArb, { maxLength: 40 }), fc.uniqueArray(word), (made, probe) => {
        const corrections = made.map((item, index): Correction => ({
          id: `verdict|domain:d${index}.io`,
          kind: item.kind,
          domain: `d${index}.io`,
          name: 'x',
          sender: 's.example',
          features: item.features,
          score: item.score,
          date: new Date(Date.UTC(2026, 0, item.day)).toISOString(),
          source: 'test',
        }));
        const shift = learnPersonalLayer(corrections, ['s.example']).shift(probe);
        expect(Math.abs(shift)).toBeLessThanOrEqual(personalSettings.shiftLimit);
        const broadOnly = probe.filter((feature) => ['bias', 'via:direct', 'tld:io'].includes(feature));
        const broadShift = learnPersonalLayer(corrections, ['s.example']).shift(broadOnly);
        expect(Math.abs(broadShift)).toBeLessThanOrEqual(unrelatedLimit + 1e-9);
      }),
    );
  });
});

describe('rankedByScorer', () => {
  it('tells the scorer’s links from those knowledge decided, on a real pipeline run', async () => {
    const html = `<p>From <a href="https://weekly.example/view">View in browser</a></p>
      <h2>Funding</h2><p><a href="https://acmerobotics.io/">Acme Robotics</a>, a Berlin-based maker of arms, raised $12M.</p>
      <p>Follow us on <a href="https://twitter.com/weekly">Twitter</a>.</p>`;
    const { links } = await extractLinks(html, { format: 'html' });
    const byDomain = new Map(links.map((item) => [item.domain, rankedByScorer(item)]));
    expect(byDomain.get('acmerobotics.io')).toBe(true);
    expect(byDomain.get('twitter.com')).toBe(false);
  });
});

describe('correction records', () => {
  it('reads back what it wrote and refuses damaged or foreign records', () => {
    const made = correct('rename', jobsLink(1), 'weekly.example', 'Bigcorp One');
    expect(parseCorrection(JSON.parse(JSON.stringify(made)))).toEqual(made);
    expect(parseCorrection({ ...made, date: 'yesterday' })).toBeNull();
    expect(parseCorrection({ ...made, id: 'verdict|domain:evil.com' })).toBeNull();
    expect(parseCorrection({ ...made, score: 7 })).toBeNull();
    expect(parseCorrection({ ...made, newName: undefined })).toBeNull();
    expect(parseCorrection('not a correction')).toBeNull();
  });
});
