import { describe, expect, it } from 'vitest';
import type { EgressRecord } from '../../net/egress.ts';
import { summariseEgress } from './tally.ts';

const APP = 'sift.example';
const record = (overrides: Partial<EgressRecord>): EgressRecord => ({
  at: 1,
  host: APP,
  method: 'GET',
  purpose: 'app',
  bytesSent: 0,
  allowed: true,
  outcome: 'sent',
  realm: 'page',
  ...overrides,
});

describe('summariseEgress', () => {
  it('reads zero when only the app’s own origin was contacted', () => {
    const summary = summariseEgress([record({}), record({ realm: 'sift-llm' })], APP);
    expect(summary).toMatchObject({ requestsOut: 0, bytesOut: 0, refused: 0, unaccounted: 0 });
    expect(summary.hosts).toEqual([
      expect.objectContaining({ host: APP, own: true, sent: 2, realms: ['page', 'sift-llm'] }),
    ]);
  });

  it('counts requests and bytes per other host, refusals apart (they carried nothing)', () => {
    const summary = summariseEgress(
      [
        record({ host: 'api.groq.com', purpose: 'fallback', method: 'POST', bytesSent: 1200 }),
        record({ host: 'api.groq.com', purpose: 'fallback', method: 'POST', bytesSent: 800 }),
        record({ host: 'evil.example', allowed: false, outcome: 'refused', bytesSent: 5000 }),
        record({ host: 'huggingface.co', purpose: 'model', realm: 'sift-llm' }),
      ],
      APP,
    );
    expect(summary).toMatchObject({ requestsOut: 3, bytesOut: 2000, refused: 1 });
    expect(summary.hosts.map((host) => host.host)).toEqual(['api.groq.com', 'huggingface.co', 'evil.example']);
    expect(summary.hosts[2]).toMatchObject({ sent: 0, refused: 1, bytesSent: 0, purposes: [] });
  });

  it('counts a request that went around the gate as leaving, and flags it', () => {
    const summary = summariseEgress([record({ host: 'cdn.example', outcome: 'unaccounted' })], APP);
    expect(summary).toMatchObject({ requestsOut: 1, unaccounted: 1 });
  });
});
