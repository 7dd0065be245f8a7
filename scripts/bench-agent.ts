/**
 * bench:agent — how often the agent's final result survives a model that errs.
 *
 * Runs the newsletter job on the labelled corpus (../shared/corpus; skipped with a message when
 * absent) and 30 scripted Ask tasks against NoisyEngine over an oracle: per-task mistakes at
 * p = 0.05, 0.1, 0.2 that repeat on every re-ask with probability ρ (BENCH_CORRELATIONS, default
 * 0, 0.5, 1), answered as Qwen3 through WebLLM does (empty think block; JSON spaced where a
 * request leaves whitespace free, compact under the grammar; cut at max_tokens by the real
 * tokenizer). A run succeeds when its final result equals the p = 0 run's and nothing was written
 * to the CRM without the user's confirmation.
 *
 * Gated is the app. Ungated is the fair baseline (bench-agent/ungated.ts: constrained output, a
 * parse with a try, one retry, execute with the user's confirmation). The ablation runs the gated
 * agent at ρ = 0.5, p = 0.1 with each recovery mechanism off in turn. `detectable_success` (ρ = 1)
 * counts runs whose mistakes were all detectable that ended right or honestly declined: Ask said
 * "Could not plan this", or every link that differs was marked as decided by the rules' fallback.
 * Prints one JSON line last.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from 'typebox/value';
import { runAsk } from '../src/core/agent/ask.ts';
import { splitCandidates } from '../src/core/agent/candidates.ts';
import { nameIsGrounded } from '../src/core/agent/judge-gate.ts';
import { judgeByVote } from '../src/core/agent/judge-votes.ts';
import { runNewsletterJob } from '../src/core/agent/newsletter-job.ts';
import { fullRecovery, type Recovery } from '../src/core/agent/recovery.ts';
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
const rates = [0.05, 0.1, 0.2] as const;
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
  /** The run said what it could not do instead of guessing (see the header). */
  declined: boolean;
  /** Newsletter runs: each uncertain link's verdict and who decided it. */
  judgements?: Map<string, { verdict: string; decidedBy: string }>;
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

type Mode = { gates: true; recovery: Readonly<Recovery> } | { gates: false };
const gated: Mode = { gates: true, recovery: fullRecovery };

async function runOnce(
  item: Item,
  rate: number,
  seed: number,
  mode: Mode,
  model: Partial<NoisyEngineOptions>,
  baseline: Baseline | null,
): Promise<RunOutcome> {
  const crm = new IndexedCrm(item.crmSeed);
  const ports = sandboxPorts(item.report, crm);
  const engine = new NoisyEngine(new ScriptedEngine(item.oracle, { id: 'oracle' }), { ...model, rate, seed });
  const mistakes = () => ({
    noise: engine.noise.map((record) => record.kind),
    onlyDetectable: engine.noise.every((record) => record.visibility === 'detectable'),
  });
  const unconfirmedWrites = () => crm.writes.filter((write) => !write.confirmed).length;
  let clock = 0;
  const now = () => clock++;
  try {
    if (item.kind === 'newsletter') {
      const run = await runNewsletterJob({
        engines: { primary: engine },
        ports,
        now,
        runId: item.name,
        judge: mode.gates
          ? (uncertain, context) => judgeByVote(uncertain, { ...context, recovery: mode.recovery })
          : judgeUngated,
      });
      const judgements = new Map(
        run.judgements.map((judgement) => [
          judgement.id,
          {
            verdict: JSON.stringify([judgement.startup, judgement.startup ? judgement.name : '']),
            decidedBy: judgement.decidedBy,
          },
        ]),
      );
      // Honest: every link judged otherwise than at p = 0 says the rules decided it.
      const declined =
        baseline?.judgements !== undefined &&
        [...judgements].every(
          ([id, judgement]) =>
            judgement.verdict === baseline.judgements!.get(id)?.verdict || judgement.decidedBy.startsWith('rules ('),
        );
      return {
        result: JSON.stringify(run.rows.map((row) => [row.id, row.name, row.status, row.companyId])),
        unconfirmedWrites: unconfirmedWrites(),
        invalidExecuted: mode.gates ? auditTrace(run.trace, item.report, crm) : 0,
        ...mistakes(),
        declined,
        judgements,
        error: null,
      };
    }
    const run = await runAsk({
      instruction: item.instruction!,
      engines: { primary: engine },
      ports,
      ...(mode.gates ? { recovery: mode.recovery } : { takeTurn: ungatedTurn }),
      now,
      runId: item.name,
    });
    return {
      result: JSON.stringify([run.outcome, run.answer, crm.snapshot(), run.state.exports]),
      unconfirmedWrites: unconfirmedWrites(),
      invalidExecuted: mode.gates ? auditTrace(run.trace, item.report, crm) : 0,
      ...mistakes(),
      declined: run.outcome === 'undecided' && (run.reason ?? '').startsWith('Could not plan this'),
      error: null,
    };
  } catch (error) {
    return {
      result: 'crashed',
      unconfirmedWrites: unconfirmedWrites(),
      invalidExecuted: 0,
      ...mistakes(),
      declined: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

function seedOf(itemIndex: number, rate: number, seedIndex: number): number {
  return (itemIndex * 7919 + Math.round(rate * 1000) * 104729 + seedIndex * 15485863) >>> 0;
}

// ---------------------------------------------------------------- main

interface Baseline {
  result: string;
  judgements: RunOutcome['judgements'];
}

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

const qwen3: Partial<NoisyEngineOptions> = {
  info: { model: 'Qwen3-1.7B-q4f32_1-MLC' },
  layout: 'spaced',
  tokens: qwen3Tokens(),
};
const baselines = new Map<number, Baseline>();
for (const [index, item] of items.entries()) {
  const run = await runOnce(item, 0, 0, gated, qwen3, null);
  if (run.error) throw new Error(`The p = 0 run of ${item.name} failed: ${run.error}`);
  baselines.set(index, { result: run.result, judgements: run.judgements });
}
const runsPerRate = items.reduce((sum, item) => sum + item.seeds, 0);
const share = (good: number, runs: number) => Math.round((good / Math.max(1, runs)) * 1000) / 1000;
let invalidExecuted = 0;
let unconfirmedWrites = 0;
let unconfirmedWritesUngated = 0;

interface Round {
  newsletter: number;
  ask: number;
  detectable: number;
}

/** Every item at every seed once, at one rate and correlation, in one mode. */
async function round(label: string, rate: number, correlation: number, mode: Mode): Promise<Round> {
  const tally = { newsletter: [0, 0], ask: [0, 0], detectable: [0, 0], undetectable: [0, 0] };
  const failedWith = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const baseline = baselines.get(index)!;
    for (let seedIndex = 0; seedIndex < item.seeds; seedIndex++) {
      const run = await runOnce(item, rate, seedOf(index, rate, seedIndex), mode, { ...qwen3, correlation }, baseline);
      const ok = run.result === baseline.result && run.unconfirmedWrites === 0;
      tally[item.kind][1]!++;
      if (ok) tally[item.kind][0]!++;
      if (run.noise.length) {
        const visibility = run.onlyDetectable ? tally.detectable : tally.undetectable;
        visibility[1]!++;
        if (ok || (run.onlyDetectable && run.declined && run.unconfirmedWrites === 0)) visibility[0]!++;
      }
      if (!ok) {
        const why = run.error
          ? 'crashed'
          : run.unconfirmedWrites
            ? 'wrote without confirmation'
            : run.declined
              ? 'declined honestly'
              : 'different result';
        failedWith.set(why, (failedWith.get(why) ?? 0) + 1);
        if (process.env['BENCH_VERBOSE'] === item.name)
          console.log(`  ${item.name} seed ${seedIndex}: ${why}; noise ${run.noise.join(', ')}`);
      }
      if (mode.gates) {
        invalidExecuted += run.invalidExecuted;
        unconfirmedWrites += run.unconfirmedWrites;
      } else {
        unconfirmedWritesUngated += run.unconfirmedWrites;
      }
    }
  }
  const reasons = [...failedWith.entries()].map(([why, count]) => `${why} ${count}`).join(', ');
  console.log(
    `${label.padEnd(22)} ρ=${correlation.toFixed(1)} p=${rate.toFixed(2)}: newsletter ${tally.newsletter[0]}/${tally.newsletter[1]}, ` +
      `ask ${tally.ask[0]}/${tally.ask[1]}; runs with only detectable mistakes right or declined ${tally.detectable[0]}/${tally.detectable[1]}, ` +
      `with an undetectable one right ${tally.undetectable[0]}/${tally.undetectable[1]}` +
      (reasons ? ` — not right: ${reasons}` : ''),
  );
  return {
    newsletter: share(tally.newsletter[0]!, tally.newsletter[1]!),
    ask: share(tally.ask[0]!, tally.ask[1]!),
    detectable: share(tally.detectable[0]!, tally.detectable[1]!),
  };
}

type ByJob = Record<'newsletter' | 'ask', Record<string, number>>;
const correlations = (process.env['BENCH_CORRELATIONS'] ?? '0,0.5,1').split(',').map(Number);
const byCorrelation: Record<string, ByJob> = {};
const ungated: Record<string, ByJob> = {};
const detectableSuccess: Record<string, number> = {};
for (const correlation of correlations) {
  byCorrelation[String(correlation)] = { newsletter: {}, ask: {} };
  ungated[String(correlation)] = { newsletter: {}, ask: {} };
  for (const rate of rates) {
    for (const mode of [gated, { gates: false } as const]) {
      const figures = await round(mode.gates ? 'gated' : 'ungated (fair)', rate, correlation, mode);
      const into = (mode.gates ? byCorrelation : ungated)[String(correlation)]!;
      into.newsletter[String(rate)] = figures.newsletter;
      into.ask[String(rate)] = figures.ask;
      if (mode.gates && correlation === 1) detectableSuccess[String(rate)] = figures.detectable;
    }
  }
}

// Each mechanism off in turn, at ρ = 0.5 and p = 0.1 (the "all on" row is the gated figure there).
const ablation: Record<string, { newsletter: number; ask: number }> = {};
const ablationAt = { correlation: 0.5, rate: 0.1 };
for (const mechanism of Object.keys(fullRecovery) as Array<keyof Recovery>) {
  const figures = await round(`gated, ${mechanism} off`, ablationAt.rate, ablationAt.correlation, {
    gates: true,
    recovery: { ...fullRecovery, [mechanism]: false },
  });
  ablation[`${mechanism} off`] = { newsletter: figures.newsletter, ask: figures.ask };
}

console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(
  JSON.stringify({
    by_correlation: byCorrelation,
    detectable_success: detectableSuccess,
    ungated,
    ablation: { at: { rho: ablationAt.correlation, p: ablationAt.rate }, ...ablation },
    invalid_calls_executed: invalidExecuted,
    unconfirmed_writes: unconfirmedWrites,
    unconfirmed_writes_ungated: unconfirmedWritesUngated,
    runs_per_rate: runsPerRate,
  }),
);
