/**
 * What the progress list says about each stage of a newsletter run, from the counts the job reports
 * (src/core/agent/job-stages.ts). Words only: the state class decides when a stage changes.
 */
import type { CrmCounts, LinkCounts, ModelCounts } from '../../core/agent/job-stages.ts';
import type { StepEngines } from '../../core/agent/model-step.ts';
import { formatBytes, inputSize, type NewsletterInput } from './newsletter-input.ts';

export type StageId = 'reading' | 'links' | 'crm' | 'model';

export const STAGE_LABELS: Record<StageId, string> = {
  reading: 'Reading the newsletter',
  links: 'Finding and unwrapping links',
  crm: 'Checking the CRM',
  model: 'Model check',
};

export const NOTHING_TO_READ = 'There is nothing to read yet: paste a newsletter or choose a file.';
export const PREPARING_MODEL = 'Getting the model ready…';
export const NO_CRM_SET_UP = 'No CRM set up yet: every company shows as new.';
export const TOOLS_ONLY = 'Tools-only mode: ranked by the link tools, no model.';

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function readingDetail(input: NewsletterInput): string {
  const size = formatBytes(inputSize(input));
  if (input.kind === 'file') return `${input.name}, ${size}.`;
  return input.kind === 'html' ? `${size} of pasted HTML (links kept).` : `${size} of pasted text.`;
}

export function modelReadyDetail(engines: StepEngines): string {
  const engine = engines.primary ?? engines.fallback;
  return engine ? `${engine.info.model} is ready.` : '';
}

export function linksDetail(counts: LinkCounts): string {
  const parts = [`${count(counts.links, 'distinct link')} in ${counts.ms.toFixed(0)} ms`];
  if (counts.unwrapped > 0) parts.push(`${counts.unwrapped} unwrapped from trackers`);
  if (counts.hidden > 0) parts.push(`${counts.hidden} with the address hidden by a tracker`);
  parts.push(`${count(counts.certain, 'sure startup')}, ${counts.uncertain} uncertain`);
  return `${parts.join(', ')}.`;
}

export function crmRunningDetail(checking: number, crm: string): string {
  return `Matching ${count(checking, 'candidate')} against ${crm}…`;
}

/**
 * The CRM is asked about every candidate, the uncertain ones too, before any is turned down: the counts are of
 * candidates, not of the table's rows (an uncertain link that ends under "Maybe" was still checked).
 */
export function crmDetail(counts: CrmCounts): string {
  return `${count(counts.checked, 'candidate')} checked: ${counts.inCrm} in the CRM, ${counts.possible} possible, ${counts.notInCrm} not in it.`;
}

const corrections = (corrected: number) => (corrected ? `, ${corrected} corrected` : '');

export function modelRunningDetail(calls: number, corrected: number, step: string): string {
  return `${count(calls, 'model call')}${corrections(corrected)} (${step})`;
}

export function modelDetail(counts: ModelCounts): string {
  if (counts.judged === 0) return 'Nothing uncertain: the rules were sure about every link.';
  return `${count(counts.judged, 'uncertain link')} judged, ${counts.byModel} settled by the model, ${count(counts.calls, 'call')}${corrections(counts.corrected)}.`;
}
