/**
 * Page object for Settings → Benchmark: choose an engine and mode, run, watch the progress, read the
 * results table, export, and the history of past runs. Shared by the e2e spec and `npm run bench:model`.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';

export class BenchmarkPage {
  readonly view: Locator;
  readonly engine: Locator;
  readonly run: Locator;
  readonly cancel: Locator;
  readonly progress: Locator;
  readonly progressText: Locator;
  readonly results: Locator;
  readonly categories: Locator;
  readonly overall: Locator;
  readonly history: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.view = page.getByTestId('benchmark');
    this.engine = page.getByTestId('bench-engine');
    this.run = page.getByTestId('bench-run');
    this.cancel = page.getByTestId('bench-cancel');
    this.progress = page.getByTestId('bench-progress');
    this.progressText = page.getByTestId('bench-progress-text');
    this.results = page.getByTestId('bench-results');
    this.categories = page.getByTestId('bench-category');
    this.overall = page.getByTestId('bench-overall');
    this.history = page.getByTestId('bench-history-row');
    this.error = page.getByTestId('bench-error');
  }

  async open(): Promise<void> {
    if (!this.page.url().startsWith('http')) await this.page.goto('./');
    await this.page.getByRole('heading', { name: 'Sift', level: 1 }).waitFor();
    await this.page.getByTestId('tab-settings').click();
    await this.view.waitFor();
  }

  async choose(engine: string, mode: 'quick' | 'full' = 'quick'): Promise<void> {
    await this.engine.selectOption(engine);
    await this.page.getByTestId(`bench-mode-${mode}`).check();
  }

  /** Clicks Run and waits for the results (or an error). */
  async runToEnd(timeout = 60_000): Promise<void> {
    await this.run.click();
    await this.page.locator('[data-testid="bench-results"], [data-testid="bench-error"]').first().waitFor({ timeout });
  }

  /** The exported JSON of the run on screen. */
  async exportJson(): Promise<{ filename: string; run: Record<string, unknown> }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId('bench-export').click(),
    ]);
    return {
      filename: download.suggestedFilename(),
      run: JSON.parse(readFileSync(await download.path(), 'utf8')) as Record<string, unknown>,
    };
  }
}
