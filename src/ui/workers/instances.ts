/**
 * The page's one tools worker. Every view shares it, so the CRM index built for matching stays
 * warm between runs; a crash is told to the user and the worker restarts on the next call.
 */
import { notices } from '../notices/notices.svelte.ts';
import { createToolsWorker } from './tools.ts';

export const toolsWorker = createToolsWorker({
  onCrash: () => {
    notices.show('The tools worker stopped and was restarted. If a run was going, start it again.', 'error');
  },
});
