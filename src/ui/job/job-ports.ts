/**
 * What a newsletter run (and an Ask about it) needs from the outside, and the app's real parts
 * behind it: the link tools in the shared tools worker, the CRM the user has, and the engines
 * (on-device model, fallback, or none). The state classes know only the `JobPorts` shape, so
 * their tests use plain objects.
 */
import { transfer } from 'comlink';
import type { StepEngines } from '../../core/agent/model-step.ts';
import type { CrmBackend } from '../../core/crm/types.ts';
import type { LinkReport } from '../../core/links/types.ts';
import { localCrm } from '../crm/local-crm.ts';
import { toolsWorker } from '../workers/instances.ts';
import { enginesForRun } from './engines.svelte.ts';
import type { NewsletterInput } from './newsletter-input.ts';

export interface EngineProgress {
  text: string;
  progress: number | null;
}

export interface JobPorts {
  extractLinks(input: NewsletterInput, signal: AbortSignal): Promise<LinkReport>;
  /** Null when no CRM is set up yet: every row is then "new". Written to only after the user confirms. */
  crm: CrmBackend | null;
  /**
   * The engines for the model step, once ready (a model may need loading first, with progress).
   * Both null means tools-only mode: the deterministic ranking decides.
   */
  engines(signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<StepEngines>;
}

/** Runs link extraction in the tools worker; aborting terminates the worker (it restarts lazily). */
export function extractLinksInWorker(input: NewsletterInput, signal: AbortSignal): Promise<LinkReport> {
  return toolsWorker.run((tools) => {
    if (input.kind === 'file') {
      // The draft keeps its bytes so the same file can run again; this one copy moves to the worker
      // (transferred) instead of being cloned once more on the way.
      const bytes = new Uint8Array(input.bytes.slice(0));
      return tools.extractLinks(transfer(bytes, [bytes.buffer]), { fileName: input.name });
    }
    // The page knows an HTML paste is HTML: the format crosses with it. Typed text is detected in the worker.
    return input.kind === 'html' ? tools.extractLinks(input.html, { format: 'html' }) : tools.extractLinks(input.text);
  }, signal);
}

/** A CRM connector the user switched on wins; otherwise the local CRM (empty until filled). */
export async function crmForRun(): Promise<CrmBackend> {
  // The connectors' code loads after the first screen: most people use the local CRM.
  const { connectorSettings } = await import('../connectors/connector-settings.svelte.ts');
  if (!connectorSettings.loaded) await connectorSettings.load();
  return connectorSettings.backend() ?? localCrm;
}

/** The app's ports, built fresh for each run: the CRM or the model may have changed since the last one. */
export async function appJobPorts(): Promise<JobPorts> {
  return { extractLinks: extractLinksInWorker, crm: await crmForRun(), engines: enginesForRun };
}
