import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeCorrection } from '../src/core/corrections/correction.ts';
import { clearCorrections, saveCorrection } from '../src/storage/corrections.ts';
import { correctionsApi } from './corrections-api.ts';

const html = `<p><a href="https://weekly.example/archive">Past issues</a></p>
  <h2>Funding</h2><p><a href="https://acmerobotics.io/">Acme Robotics</a>, a Berlin-based maker of arms, raised $12M.</p>`;

beforeEach(async () => {
  await clearCorrections();
});

describe('the tools worker’s extractLinks applies the stored corrections', () => {
  it('ranks as the pipeline does until the person corrects a link, then follows the correction', async () => {
    const before = await correctionsApi.extractLinks(html, { format: 'html' });
    const acme = before.links.find((link) => link.domain === 'acmerobotics.io')!;
    expect(acme.kind).toBe('startup');
    await saveCorrection(
      makeCorrection(
        'not-startup',
        { domain: acme.domain, name: acme.name, sender: 'weekly.example', features: [], score: acme.score },
        { date: new Date(Date.UTC(2026, 11, 3, 10)), source: 'results table: test' },
      ),
    );
    const after = await correctionsApi.extractLinks(html, { format: 'html' });
    const corrected = after.links.find((link) => link.domain === 'acmerobotics.io')!;
    expect(corrected.kind).toBe('other');
    expect(corrected.reason).toBe('Not a startup: you marked acmerobotics.io as not a startup on 3 Dec.');
  });
});
