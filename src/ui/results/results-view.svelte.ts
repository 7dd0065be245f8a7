/**
 * How the person is looking at a results table: new-only filter, sort, dismissed rows. Kept apart
 * from the rows themselves so reopening a run from history starts with a clean view.
 */
import type { ResultRow } from '../../core/agent/result-row.ts';
import { isNew, sortRows, type SortDirection, type SortKey } from './result-rows.ts';

export class ResultsView {
  onlyNew = $state(false);
  sortKey = $state<SortKey>('order');
  sortDirection = $state<SortDirection>('ascending');
  dismissed = $state<string[]>([]);
  showDismissed = $state(false);

  /** Where the rows come from (a getter over reactive state, so the view follows new rows). */
  readonly #source: () => readonly ResultRow[];

  constructor(rows: () => readonly ResultRow[]) {
    this.#source = rows;
  }

  rows(): readonly ResultRow[] {
    return this.#source();
  }

  visible = $derived(
    sortRows(
      this.rows().filter(
        (row) => (!this.onlyNew || isNew(row)) && (this.showDismissed || !this.dismissed.includes(row.id)),
      ),
      this.sortKey,
      this.sortDirection,
    ),
  );

  newCount = $derived(this.rows().filter(isNew).length);
  dismissedCount = $derived(this.rows().filter((row) => this.dismissed.includes(row.id)).length);

  /** Clicking the sorted column flips it; another column starts in its natural direction. */
  sortBy(key: SortKey): void {
    if (this.sortKey === key) {
      this.sortDirection = this.sortDirection === 'ascending' ? 'descending' : 'ascending';
      return;
    }
    this.sortKey = key;
    this.sortDirection = key === 'confidence' ? 'descending' : 'ascending';
  }

  dismiss(id: string): void {
    if (!this.dismissed.includes(id)) this.dismissed.push(id);
  }

  restore(id: string): void {
    this.dismissed = this.dismissed.filter((item) => item !== id);
  }

  reset(): void {
    this.onlyNew = false;
    this.sortKey = 'order';
    this.sortDirection = 'ascending';
    this.dismissed = [];
    this.showDismissed = false;
  }
}
