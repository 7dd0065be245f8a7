/**
 * bench:agent — how often the agent's final result survives a model that errs.
 *
 * Runs the newsletter job on the labelled corpus (../shared/corpus; skipped with a message when
 * absent) and 30 scripted Ask tasks, with NoisyEngine over an oracle at p = 0, 0.05, 0.1, 0.2
 * (seeded), once with the gates and once without (raw execution of whatever the engine says).
 * A run succeeds when its final result equals the p = 0 run's and nothing was written to the CRM
 * without the user's confirmation. Prints one JSON line last.
 *
 * Then, gated, against a model whose mistakes repeat: NoisyEngine with correlation ρ (BENCH_CORRELATIONS,
 * default 0, 0.5, 1), answering as Qwen3 through WebLLM does (empty think block; JSON spaced where a
 * request leaves whitespace free, compact under the grammar every gated step sends; cut at
 * max_tokens by the real tokenizer). Success per job, and for the runs whose mistakes were all
 * detectable. `unconfirmed_writes` counts the gated runs' CRM writes nobody confirmed (all parts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from 'typebox/value';
import { runAsk } from '../src/core/agent/ask.ts';
import { splitCandidates } from '../src/core/agent/candidates.ts';
import { nameIsGrounded } from '../src/core/agent/judge-gate.ts';
import { runNewsletterJob } from '../src/core/agent/newsletter-job.ts';
import { judgeOracle, planOracle } from '../tests/support/oracles.ts';
import { linkCandidate, linkReport, MemoryCrm, sandboxPorts } from '../src/core/bench/sandbox.ts';
import { callSchema, type ToolCall } from '../src/core/agent/tool-calls.ts';
import { toolByName } from '../src/core/agent/tools.ts';
import type { Trace } from '../src/core/agent/trace.ts';
import { CrmIndex } from '../src/core/crm/crm-index.ts';
import type { Company, MatchQuery, MatchResult } from '../src/core/crm/types.ts';
import { NoisyEngine, type NoiseKind, type NoisyEngineOptions } from '../src/core/engines/noisy.ts';
import { qwen3Tokens } from '../src/core/engines/qwen3-tokens.ts';
import { ScriptedEngine, type ScriptedResponder } from '../src/core/engines/scripted.ts';
import type { LinkCandidate, LinkReport } from '../src/core/links/types.ts';
import { judgeUngated, ungatedTurn } from './bench-agent/ungated.ts';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = resolve(process.env['SIFT_CORPUS'] ?? join(here, '../../shared/corpus'));
const rates = [0, 0.05, 0.1, 0.2] as const;
const newsletterSeeds = Number(process.env['BENCH_NEWSLETTER_SEEDS'] ?? 3);
const askSeeds = Number(process.env['BENCH_ASK_SEEDS'] ?? 8);

/** The test CRM with the real matcher (domains, aliases, fuzzy names) in place of exact matching. */
class IndexedCrm extends MemoryCrm {
  #index: CrmIndex | null = null;
  #version = '';
  override async matchMany(queries: MatchQuery[]): Promise<MatchResult[]> {
    const version = this.snapshot();
    if (!this.#index || version !== this.#version) {
      this.#index = new CrmIndex([...this.companies.values()] as Company[]);
      this.#version = version;
    }
    return this.#index.matchMany(queries);
  }
}

interface Item {
  kind: 'newsletter' | 'ask';
  name: string;
  report: LinkReport;
  crmSeed: Array<Pick<Company, 'name' | 'domain'> & Partial<Company>>;
  oracle: ScriptedResponder;
  instruction?: string;
  seeds: number;
}

interface RunOutcome {
  result: string;
  unconfirmedWrites: number;
  invalidExecuted: number;
  noise: NoiseKind[];
  /** Every mistake made was one a gate can see. */
  onlyDetectable: boolean;
  error: string | null;
  trace?: Trace;
}

// ---------------------------------------------------------------- corpus items

async function corpusItems(): Promise<Item[]> {
  const labels = join(corpusDir, 'labels');
  if (!existsSync(labels)) {
    console.log(`corpus: ${labels} not found — skipping the newsletter part (set SIFT_CORPUS to a corpus directory).`);
    return [];
  }
  const { extractLinks } = await import('../src/core/links/pipeline.ts');
  const items: Item[] = [];
  for (const sender of readdirSync(labels).sort()) {
    for (const file of readdirSync(join(labels, sender)).sort()) {
      const label = JSON.parse(readFileSync(join(labels, sender, file), 'utf8')) as {
        file: string;
        startups: Array<{ name: string; domain: string | null }>;
      };
      const rawPath = join(corpusDir, label.file);
      if (!existsSync(rawPath)) continue;
      const report = await extractLinks(new Uint8Array(readFileSync(rawPath)), { fileName: basename(rawPath) });
      const byDomain = new Map(
        label.startups.filter((startup) => startup.domain).map((startup) => [startup.domain!, startup.name]),
      );
      const links = new Map(report.links.map((link) => [link.id, link]));
      const truth = (id: string) => {
        const link = links.get(id)!;
        const labelName = byDomain.get(link.domain);
        if (labelName === undefined) return { startup: false, name: link.name || link.domain };
        return { startup: true, name: nameIsGrounded(labelName, link) ? labelName : link.name || link.domain };
      };
      // Every third labelled startup is already in the CRM, so matches vary.
      const crmSeed = label.startups
        .filter((startup, index) => startup.domain && index % 3 === 0)
        .map((startup) => ({ name: startup.name, domain: startup.domain }));
      items.push({
        kind: 'newsletter',
        name: `${sender}/${file.replace(/\.json$/, '')}`,
        report,
        crmSeed,
        oracle: judgeOracle(truth),
        seeds: newsletterSeeds,
      });
    }
  }
  return items;
}

// ---------------------------------------------------------------- Ask tasks

const sectors = ['robotics', 'payments', 'biotech', 'developer tools', 'climate', 'AI infrastructure'];

/** Six small synthetic newsletters, each with startups (some in the CRM), media and social links. */
function syntheticNewsletter(index: number) {
  const sector = sectors[index]!;
  const startups = Array.from({ length: 5 }, (_, n) => {
    const name = `${['Acme', 'Bolt', 'Cinder', 'Delta', 'Ember', 'Flux'][(index + n) % 6]} ${['Labs', 'AI', 'Works', 'Bio', 'Pay'][n]}`;
    const domain = `${name.toLowerCase().replace(/\s+/g, '')}${index}.com`;
    return { name, domain };
  });
  const links: LinkCandidate[] = [];
  let id = 1;
  for (const startup of startups) {
    links.push(
      linkCandidate({
        id: `L${id++}`,
        domain: startup.domain,
        name: startup.name,
        text: startup.name,
        context: `${startup.name}, a ${sector} startup, raised a seed round.`,
        score: 0.85,
      }),
    );
    links.push(linkCandidate({ id: `L${id++}`, domain: 'twitter.com', kind: 'social', score: 0.05, name: 'Twitter' }));
  }
  links.push(
    linkCandidate({ id: `L${id++}`, domain: 'techcrunch.com', kind: 'media', score: 0.1, name: 'TechCrunch' }),
  );
  links.push(
    linkCandidate({ id: `L${id}`, domain: `sponsor${index}.io`, kind: 'sponsor', score: 0.5, name: 'Sponsor' }),
  );
  const inCrm = startups.filter((_, n) => n % 2 === 1);
  const crmSeed = inCrm.map((startup, n) => ({ id: `c${n + 1}`, name: startup.name, domain: startup.domain }));
  const linkOf = (startup: { domain: string }) => links.find((link) => link.domain === startup.domain)!.id;
  return { report: linkReport(links), crmSeed, startups, inCrm, linkOf, sector };
}

function askItems(): Item[] {
  const items: Item[] = [];
  const extract: ToolCall = { tool: 'extract_links', arguments: {} };
  for (let index = 0; index < 6; index++) {
    const n = syntheticNewsletter(index);
    const fresh = n.startups.filter((startup) => !n.inCrm.includes(startup));
    const known = n.inCrm[0]!;
    const knownId = n.crmSeed[0]!.id;
    const lookup = (startup: { domain: string }): ToolCall => ({
      tool: 'lookup_company',
      arguments: { link_id: n.linkOf(startup) },
    });
    const tasks: Array<{ instruction: string; plan: ToolCall[]; answer: string }> = [
      {
        instruction: `Is ${known.name} already in our CRM?`,
        plan: [extract, lookup(known)],
        answer: `${known.name} is in the CRM.`,
      },
      {
        instruction: `Add ${fresh[0]!.name} to the CRM tagged newsletter-nov.`,
        plan: [
          extract,
          lookup(fresh[0]!),
          { tool: 'add_company', arguments: { link_id: n.linkOf(fresh[0]!), tags: ['newsletter-nov'] } },
        ],
        answer: `Added ${fresh[0]!.name}.`,
      },
      {
        instruction: `Tag ${known.name} with ${n.sector.replace(/\s+/g, '-').toLowerCase()}.`,
        plan: [
          extract,
          lookup(known),
          {
            tool: 'tag_company',
            arguments: { company_id: knownId, tags: [n.sector.replace(/\s+/g, '-').toLowerCase()] },
          },
        ],
        answer: `Tagged ${known.name}.`,
      },
      {
        instruction: 'Export the startups in this issue as CSV.',
        plan: [
          extract,
          { tool: 'list_candidates', arguments: { kind: 'startup', min_score: 0.8 } },
          { tool: 'export_csv', arguments: { link_ids: n.startups.map(n.linkOf) } },
        ],
        answer: `Exported ${n.startups.length} startups.`,
      },
      {
        instruction: `Find the ${n.sector} startups that are new to us, add them and tag the known ones newsletter-nov.`,
        plan: [
          extract,
          { tool: 'list_candidates', arguments: { kind: 'startup' } },
          ...n.startups.map(lookup),
          ...fresh.map((startup): ToolCall => ({
            tool: 'add_company',
            arguments: { link_id: n.linkOf(startup), tags: ['newsletter-nov'] },
          })),
          { tool: 'tag_company', arguments: { company_id: knownId, tags: ['newsletter-nov'] } },
        ],
        answer: `Added ${fresh.length}, tagged 1.`,
      },
    ];
    tasks.forEach((task, taskIndex) =>
      items.push({
        kind: 'ask',
        name: `ask/${index}.${taskIndex}`,
        report: n.report,
        crmSeed: n.crmSeed,
        oracle: planOracle(task.plan, task.answer),
        instruction: task.instruction,
        seeds: askSeeds,
      }),
    );
  }
  return items;
}

// ---------------------------------------------------------------- one run

/** Independent audit of a gated run: anything executed that was not schema-valid and consistent. */
function auditTrace(trace: Trace, report: LinkReport, crm: MemoryCrm): number {
  const linkIds = new Set(report.links.map((link) => link.id));
  const links = new Map(report.links.map((link) => [link.id, link]));
  let invalid = crm.writes.filter((write) => !write.confirmed).length;
  for (const step of trace.steps) {
    if (step.kind === 'execute' && step.call) {
      const tool = toolByName(step.call.tool);
      const args = step.call.arguments as { link_id?: string; link_ids?: string[]; company_id?: string };
      const ok =
        tool !== undefined &&
        Value.Check(callSchema(tool, null), step.call) &&
        [args.link_id, ...(args.link_ids ?? [])].every((id) => id === undefined || linkIds.has(id)) &&
        (args.company_id === undefined || crm.companies.has(args.company_id)) &&
        (!tool.needsConfirmation ||
          step.gates.some((gate) => gate.gate === 'policy' && gate.ok) ||
          step.result === null);
      if (!ok) invalid++;
    }
  }
  if (trace.job === 'newsletter') {
    for (const step of trace.steps) {
      if ((step.kind !== 'judge' && step.kind !== 'vote') || !step.result || step.error) continue;
      for (const [id, verdict] of Object.entries(step.result as Record<string, { startup: boolean; name: string }>)) {
        const link = links.get(id);
        if (!link || (verdict.startup && !nameIsGrounded(verdict.name, link))) invalid++;
      }
    }
  }
  return invalid;
}

async function runOnce(
  item: Item,
  rate: number,
  seed: number,
  gates: boolean,
  keepTrace = false,
  model: Partial<NoisyEngineOptions> = {},
): Promise<RunOutcome> {
  const crm = new IndexedCrm(item.crmSeed);
  const ports = sandboxPorts(item.report, crm);
  const engine = new NoisyEngine(new ScriptedEngine(item.oracle, { id: 'oracle' }), { ...model, rate, seed });
  const mistakes = () => ({
    noise: engine.noise.map((record) => record.kind),
    onlyDetectable: engine.noise.every((record) => record.visibility === 'detectable'),
  });
  let clock = 0;
  const now = () => clock++;
  try {
    if (item.kind === 'newsletter') {
      const run = await runNewsletterJob({
        engines: { primary: engine },
        ports,
        now,
        runId: item.name,
        ...(gates ? {} : { judge: judgeUngated }),
      });
      const result = JSON.stringify(run.rows.map((row) => [row.id, row.name, row.status, row.companyId]));
      return {
        result,
        unconfirmedWrites: crm.writes.filter((write) => !write.confirmed).length,
        invalidExecuted: gates ? auditTrace(run.trace, item.report, crm) : 0,
        ...mistakes(),
        error: null,
      };
    }
    const run = await runAsk({
      instruction: item.instruction!,
      engines: { primary: engine },
      ports,
      ...(gates ? {} : { takeTurn: ungatedTurn }),
      now,
      runId: item.name,
    });
    return {
      ...(keepTrace ? { trace: run.trace } : {}),
      result: JSON.stringify([run.outcome, run.answer, crm.snapshot(), run.state.exports]),
      unconfirmedWrites: crm.writes.filter((write) => !write.confirmed).length,
      invalidExecuted: gates ? auditTrace(run.trace, item.report, crm) : 0,
      ...mistakes(),
      error: null,
    };
  } catch (error) {
    return {
      result: 'crashed',
      unconfirmedWrites: crm.writes.filter((write) => !write.confirmed).length,
      invalidExecuted: 0,
      ...mistakes(),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

function seedOf(itemIndex: number, rate: number, seedIndex: number): number {
  return (itemIndex * 7919 + Math.round(rate * 1000) * 104729 + seedIndex * 15485863) >>> 0;
}

// ---------------------------------------------------------------- main

const started = performance.now();
const items = [...(await corpusItems()), ...askItems()];
const newsletters = items.filter((item) => item.kind === 'newsletter');
if (newsletters.length) {
  const uncertain = newsletters.reduce((sum, item) => sum + splitCandidates(item.report.links).uncertain.length, 0);
  console.log(
    `corpus: ${newsletters.length} labelled newsletters, ${uncertain} uncertain links for the model to judge`,
  );
}
console.log(`ask: ${items.length - newsletters.length} scripted tasks`);

const baseline = new Map<number, string>();
for (const [index, item] of items.entries()) {
  const run = await runOnce(item, 0, 0, true);
  if (run.error) throw new Error(`The p = 0 run of ${item.name} failed: ${run.error}`);
  baseline.set(index, run.result);
}

const success: Record<string, number> = {};
const successUngated: Record<string, number> = {};
let invalidExecuted = 0;
let unconfirmedWrites = 0;
const runsPerRate = items.reduce((sum, item) => sum + item.seeds, 0);
for (const gates of [true, false]) {
  for (const rate of rates) {
    let runs = 0;
    let good = 0;
    const byKind = { newsletter: [0, 0], ask: [0, 0] };
    const failedWith = new Map<string, number>();
    for (const [index, item] of items.entries()) {
      for (let seedIndex = 0; seedIndex < item.seeds; seedIndex++) {
        const run = await runOnce(item, rate, seedOf(index, rate, seedIndex), gates);
        const ok = run.result === baseline.get(index) && run.unconfirmedWrites === 0;
        runs++;
        byKind[item.kind][1]!++;
        if (ok) {
          good++;
          byKind[item.kind][0]!++;
        } else {
          const why = run.error ? 'crashed' : run.unconfirmedWrites ? 'wrote without confirmation' : 'different result';
          if (process.env['BENCH_VERBOSE'] && gates && process.env['BENCH_VERBOSE'] === item.name) {
            const again = await runOnce(item, rate, seedOf(index, rate, seedIndex), gates, true);
            console.log(again.trace);
          }
          if (process.env['BENCH_VERBOSE'] && gates) {
            console.log(`  ${item.name} seed ${seedIndex}: ${why}; noise ${run.noise.join(', ')}`);
            console.log(
              `    got      ${run.error ?? run.result.slice(0, 300)}\n    expected ${baseline.get(index)!.slice(0, 300)}`,
            );
          }
          failedWith.set(why, (failedWith.get(why) ?? 0) + 1);
        }
        if (gates) {
          invalidExecuted += run.invalidExecuted;
          unconfirmedWrites += run.unconfirmedWrites;
        }
      }
    }
    const share = Math.round((good / runs) * 1000) / 1000;
    (gates ? success : successUngated)[String(rate)] = share;
    const reasons = [...failedWith.entries()].map(([why, count]) => `${why} ${count}`).join(', ');
    console.log(
      `${gates ? 'gated  ' : 'ungated'} p=${rate.toFixed(2)}: ${good}/${runs} = ${share.toFixed(3)} ` +
        `(newsletter ${byKind.newsletter[0]}/${byKind.newsletter[1]}, ask ${byKind.ask[0]}/${byKind.ask[1]})` +
        (reasons ? ` — failures: ${reasons}` : ''),
    );
  }
}
// ---------------------------------------------------------------- correlated mistakes, gated

const correlations = (process.env['BENCH_CORRELATIONS'] ?? '0,0.5,1').split(',').map(Number);
const qwen3: Partial<NoisyEngineOptions> = {
  info: { model: 'Qwen3-1.7B-q4f32_1-MLC' },
  layout: 'spaced',
  tokens: qwen3Tokens(),
};
const byCorrelation: Record<string, Record<Item['kind'], Record<string, number>>> = {};
const detectableSuccess: Record<string, number> = {};
const share = (good: number, runs: number) => Math.round((good / Math.max(1, runs)) * 1000) / 1000;
for (const correlation of correlations) {
  byCorrelation[String(correlation)] = { newsletter: {}, ask: {} };
  for (const rate of rates.filter((rate) => rate > 0)) {
    const tally = { newsletter: [0, 0], ask: [0, 0], detectable: [0, 0], undetectable: [0, 0] };
    const failedWith = new Map<string, number>();
    for (const [index, item] of items.entries()) {
      for (let seedIndex = 0; seedIndex < item.seeds; seedIndex++) {
        const run = await runOnce(item, rate, seedOf(index, rate, seedIndex), true, false, { ...qwen3, correlation });
        const ok = run.result === baseline.get(index) && run.unconfirmedWrites === 0;
        const visibility = run.onlyDetectable ? tally.detectable : tally.undetectable;
        for (const counts of [tally[item.kind], ...(run.noise.length ? [visibility] : [])]) {
          counts[1]!++;
          if (ok) counts[0]!++;
        }
        if (!ok) {
          const why = run.error ? 'crashed' : run.unconfirmedWrites ? 'wrote without confirmation' : 'different result';
          failedWith.set(why, (failedWith.get(why) ?? 0) + 1);
        }
        invalidExecuted += run.invalidExecuted;
        unconfirmedWrites += run.unconfirmedWrites;
      }
    }
    byCorrelation[String(correlation)]!.newsletter[String(rate)] = share(tally.newsletter[0]!, tally.newsletter[1]!);
    byCorrelation[String(correlation)]!.ask[String(rate)] = share(tally.ask[0]!, tally.ask[1]!);
    if (correlation === 1) detectableSuccess[String(rate)] = share(tally.detectable[0]!, tally.detectable[1]!);
    const reasons = [...failedWith.entries()].map(([why, count]) => `${why} ${count}`).join(', ');
    console.log(
      `gated   ρ=${correlation.toFixed(1)} p=${rate.toFixed(2)}: newsletter ${tally.newsletter[0]}/${tally.newsletter[1]}, ` +
        `ask ${tally.ask[0]}/${tally.ask[1]}; runs with only detectable mistakes ${tally.detectable[0]}/${tally.detectable[1]}, ` +
        `with an undetectable one ${tally.undetectable[0]}/${tally.undetectable[1]}` +
        (reasons ? ` — failures: ${reasons}` : ''),
    );
  }
}

console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(
  JSON.stringify({
    success,
    success_ungated: successUngated,
    by_correlation: byCorrelation,
    detectable_success: detectableSuccess,
    invalid_calls_executed: invalidExecuted,
    unconfirmed_writes: unconfirmedWrites,
    runs_per_rate: runsPerRate,
  }),
);
