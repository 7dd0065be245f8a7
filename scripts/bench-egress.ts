/**
 * What the egress gate costs per request: N sequential requests to a local server on 127.0.0.1,
 * straight and through `EgressGate.fetch` (allowed host), plus refusals (no network at all).
 * Prints numbers; asserts nothing.
 *
 *   npx tsx scripts/bench-egress.ts [--requests 2000]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { EgressGate } from '../src/net/egress.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000' } } });
const n = Number(values.requests);
const server = createServer((_request, response) => response.end('ok'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const gate = new EgressGate('https://sift.example');
gate.allow(origin, 'connector');
const body = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(2000) }] });

/** Runs the variants interleaved, so the shared machine's noise falls on each alike. */
async function timeInterleaved(
  runs: Record<string, () => Promise<unknown>>,
  count: number,
): Promise<Record<string, number>> {
  const totals: Record<string, number> = Object.fromEntries(Object.keys(runs).map((label) => [label, 0]));
  for (let i = 0; i < 100; i++) for (const run of Object.values(runs)) await run().catch(() => undefined);
  for (let i = 0; i < count; i++) {
    for (const [label, run] of Object.entries(runs)) {
      const started = performance.now();
      await run().catch(() => undefined);
      totals[label]! += performance.now() - started;
    }
  }
  const perRequest = Object.fromEntries(Object.entries(totals).map(([label, ms]) => [label, (ms / count) * 1000]));
  for (const [label, us] of Object.entries(perRequest))
    console.log(`${label.padEnd(34)} ${us.toFixed(1).padStart(8)} µs/request`);
  return perRequest;
}

const result = await timeInterleaved(
  {
    'fetch, straight': async () => (await fetch(`${origin}/x`, { method: 'POST', body })).text(),
    'fetch through the gate (allowed)': async () => (await gate.fetch(`${origin}/x`, { method: 'POST', body })).text(),
    'refused by the gate': () => gate.fetch('https://unknown.example/x', { method: 'POST', body }),
  },
  n,
);
const overhead = result['fetch through the gate (allowed)']! - result['fetch, straight']!;
console.log(
  `gate overhead: ${overhead.toFixed(1)} µs/request over ${n} requests (2 kB bodies); log holds ${gate.log.length} records`,
);
server.close();
