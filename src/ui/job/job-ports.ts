/**
 * Connects a newsletter run to the real parts: the link tools in the shared tools worker, the CRM
 * the user has, and the engines (on-device model, fallback, or none). The run itself (job-state)
 * knows none of them.
 */
import { transfer } from 'comlink';
import type { CrmBackend } from '../../core/crm/types.ts';
import type { LinkReport } from '../../core/links/types.ts';
import { toolsWorker } from '../workers/instances.ts';
import type { JobPorts } from './job-state.svelte.ts';
import type { NewsletterInput } from './newsletter-input.ts';

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

export function jobPorts(parts: { crm: CrmBackend | null; engines: JobPorts['engines'] }): JobPorts {
  return { extractLinks: extractLinksInWorker, crm: parts.crm, engines: parts.engines };
}
