import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../core/agent/result-row.ts';
import { ResultsView } from './results-view.svelte.ts';
import { row } from '../../../tests/support/result-row.ts';

describe('ResultsView', () => {
  it('filters to new rows, sorts, dismisses and follows new rows from its source', () => {
    const cleanup = $effect.root(() => {
      const rows = $state<ResultRow[]>([
        row({ id: 'a', name: 'Beta', status: 'in-crm', confidence: 0.6 }),
        row({ id: 'b', name: 'Alpha', status: 'not-in-crm', confidence: 0.9 }),
        row({ id: 'c', name: 'Gamma', status: 'not-in-crm', confidence: 0.7 }),
      ]);
      const view = new ResultsView(() => rows);
      const ids = () => view.visible.map((item) => item.id);

      expect(ids()).toEqual(['a', 'b', 'c']);
      expect(view.newCount).toBe(2);

      view.onlyNew = true;
      flushSync();
      expect(ids()).toEqual(['b', 'c']);

      view.sortBy('confidence');
      flushSync();
      expect(view.sortDirection).toBe('descending');
      expect(ids()).toEqual(['b', 'c']);
      view.sortBy('confidence');
      flushSync();
      expect(ids()).toEqual(['c', 'b']);

      view.dismiss('c');
      flushSync();
      expect(ids()).toEqual(['b']);
      expect(view.dismissedCount).toBe(1);
      view.showDismissed = true;
      flushSync();
      expect(ids()).toEqual(['c', 'b']);
      view.restore('c');
      view.showDismissed = false;
      flushSync();
      expect(view.dismissedCount).toBe(0);

      rows.push(row({ id: 'd', name: 'Delta', status: 'not-in-crm', confidence: 0.1 }));
      flushSync();
      expect(ids()).toEqual(['c', 'b', 'd']);
    });
    cleanup();
  });
});
