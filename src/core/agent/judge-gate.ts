/**
 * One sample of the model's verdicts on a batch of links, through the gates: constrained to the
 * batch's schema (gate 1), validated (gate 2), and every name checked against the newsletter
 * (gate 3: the model may not invent a company). A verdict that passes is kept, so a repair asks
 * only about the ids still pending.
 */
import type { MatchResult } from '../crm/types.ts';
import { destinationDomain, type LinkCandidate } from '../links/types.ts';
import { judgeMaxTokens } from './judge-batches.ts';
import { candidateLine, judgeMessages, judgementSchema } from './judge-prompt.ts';
import { maxRepairs, runModelStep, type StepEngines } from './model-step.ts';
import { fullRecovery, type Recovery } from './recovery.ts';
import type { TraceRecorder } from './trace.ts';

export interface Verdict {
  startup: boolean;
  name: string;
}

/** What judging needs from the run: the engines, the CRM matches (shown in the prompt) and the trace. */
export interface JudgeContext {
  engines: StepEngines;
  matches: ReadonlyMap<string, MatchResult>;
  recorder: TraceRecorder;
  signal?: AbortSignal | undefined;
  /** All on in the app; bench:agent's ablation switches each off in turn. */
  recovery?: Readonly<Recovery>;
}

/** A name passes gate 3 only if the newsletter or the domain backs it: the model may not invent one. */
export function nameIsGrounded(name: string, link: LinkCandidate): boolean {
  const fold = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  const haystack = fold(`${link.text} ${link.context} ${link.heading} ${link.name}`);
  // A tracker's domain (substack.com) backs no name: only the company's own does.
  const domainLabel = fold(destinationDomain(link)?.split('.')[0] ?? '').replace(/[^a-z0-9]/g, '');
  const compact = fold(name).replace(/[^a-z0-9]/g, '');
  if (!compact) return false;
  if (domainLabel.length >= 3 && (compact.includes(domainLabel) || domainLabel.includes(compact))) return true;
  const words = fold(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2);
  return words.length > 0 && words.every((word) => haystack.includes(word));
}

const range = (ids: readonly string[]) => (ids.length > 1 ? `${ids[0]}…${ids[ids.length - 1]}` : (ids[0] ?? ''));

export interface BatchSample {
  /** The verdicts that passed the gates, by link id; an id missing from the map never passed. */
  verdicts: Map<string, Verdict>;
  /** Why the rest did not pass (the last attempt's errors); empty when every id passed. */
  errors: string[];
}

export async function sampleBatch(
  batch: readonly string[],
  links: ReadonlyMap<string, LinkCandidate>,
  context: JudgeContext,
  kind: 'judge' | 'vote',
  seed: number,
): Promise<BatchSample> {
  const ids = kind === 'vote' ? reorder(batch, seed) : batch;
  const accepted = new Map<string, Verdict>();
  const lines = ids.map((id) => candidateLine(links.get(id)!, context.matches.get(id)));
  const pending = () => ids.filter((id) => !accepted.has(id));
  const outcome = await runModelStep<Map<string, Verdict>>(
    {
      kind,
      label:
        kind === 'judge'
          ? `judge ${ids.length} uncertain links (${range(ids)})`
          : `another sample for ${ids.length > 3 ? `${ids.length} links (${range(ids)})` : ids.join(', ')}`,
      messages: judgeMessages(lines, ids),
      schema: () => judgementSchema(pending()),
      maxTokens: () => judgeMaxTokens(pending().length),
      temperature: kind === 'vote' ? 0.5 : 0,
      seed,
      splitsOnOverflow: true,
      repairs: (context.recovery ?? fullRecovery).repair ? maxRepairs : 0,
      check(value) {
        const answer = value as Record<string, Verdict>;
        const errors: string[] = [];
        for (const id of pending()) {
          const verdict = answer[id]!;
          if (!verdict.startup || nameIsGrounded(verdict.name, links.get(id)!)) accepted.set(id, verdict);
          else errors.push(`${id}: the name "${verdict.name}" does not appear in its text, sentence or domain`);
        }
        return errors.length ? { errors } : { errors: [], value: accepted };
      },
    },
    context.engines,
    context.recorder,
    context.signal,
  );
  return { verdicts: accepted, errors: outcome.ok ? [] : outcome.errors };
}

/**
 * A sample of the whole batch, then of halves of what did not pass, down to single links: one
 * link the model keeps getting wrong in a way the gates see (or an answer too long for its budget)
 * costs that link alone, never its batch, and whatever still fails is the rules' to decide.
 */
export async function sampleSplitting(
  ids: readonly string[],
  links: ReadonlyMap<string, LinkCandidate>,
  context: JudgeContext,
  kind: 'judge' | 'vote',
  seed: number,
): Promise<Map<string, Verdict>> {
  const { verdicts } = await sampleBatch(ids, links, context, kind, seed);
  const pending = ids.filter((id) => !verdicts.has(id));
  if (!pending.length || ids.length === 1 || !(context.recovery ?? fullRecovery).split) return verdicts;
  const middle = Math.ceil(pending.length / 2);
  const parts = pending.length > 1 ? [pending.slice(0, middle), pending.slice(middle)] : [pending];
  for (const [index, part] of parts.entries()) {
    for (const [id, verdict] of await sampleSplitting(part, links, context, kind, seed + 7 * (index + 1))) {
      verdicts.set(id, verdict);
    }
  }
  return verdicts;
}

/**
 * A vote sees the batch in another order, so it is a different question and not the same prompt
 * at another temperature: a model swayed by a link's neighbours or place in the list is swayed
 * differently. Seeded (the same run asks the same questions), and never the order given.
 */
export function reorder(ids: readonly string[], seed: number): string[] {
  const order = [...ids];
  let state = (seed * 2654435761 + 1) >>> 0;
  for (let index = order.length - 1; index > 0; index--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const other = state % (index + 1);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order.every((id, index) => id === ids[index]) ? order.reverse() : order;
}
