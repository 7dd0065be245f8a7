/**
 * The Benchmark view in real Chromium against the test build (`vite build --mode e2e`): the scripted
 * engines check the scoring end to end, and a fake `LanguageModel` that follows the Prompt API's
 * documented shape (installed by an init script) stands in for Chrome's built-in model.
 */
import AxeBuilder from '@axe-core/playwright';
import { installFakeLanguageModel, type FakeLanguageModelOptions } from '../fakes/language-model.ts';
import { BenchmarkPage } from './pages/benchmark.ts';
import { expect, test } from './fixtures.ts';

const fakeBuiltIn = (page: import('@playwright/test').Page, options: FakeLanguageModelOptions) =>
  page.addInitScript(installFakeLanguageModel, options);

test('runs the quick benchmark against scripted-oracle and scripted-wrong, keeps both in history and exports JSON', async ({
  page,
  consoleWatch,
}) => {
  const bench = new BenchmarkPage(page);
  await bench.open();
  // This Chromium has no built-in model (no Prompt API, or no model for it): the choice is not offered.
  await expect(bench.engine.locator('option[value="built-in"]')).toHaveCount(0);
  await bench.choose('scripted-oracle');
  await bench.runToEnd();
  await expect(bench.categories).toHaveCount(6);
  await expect(bench.overall.getByTestId('bench-accuracy')).toHaveText('100%');
  await expect(page.getByTestId('bench-memory')).toContainText(
    /Peak memory: unavailable: the page is not cross-origin isolated/,
  );
  const exported = await bench.exportJson();
  expect(exported.filename).toMatch(/^sift-benchmark-scripted-oracle-[\d-]+\.json$/);
  expect(exported.run).toMatchObject({
    format: 'sift-benchmark',
    mode: 'quick',
    cancelled: false,
    overall: { items: 20, accuracy: 1 },
    device: { gpu: { webgpu: true } },
  });

  await bench.choose('scripted-wrong');
  await bench.runToEnd();
  await expect(bench.overall.getByTestId('bench-accuracy')).toHaveText('0%');
  await expect(bench.history).toHaveCount(2);
  await expect(bench.history.first()).toContainText('scripted-wrong');

  const axe = await new AxeBuilder({ page }).include('[data-testid="benchmark"]').analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);

  // History lives in IndexedDB: it is still there after a reload.
  await page.reload();
  await bench.open();
  await expect(bench.history).toHaveCount(2);
  expect(consoleWatch.errors).toEqual([]);
});

test("Chrome's built-in model (a fake LanguageModel): Chrome's download after a click, then the run with progress", async ({
  page,
  consoleWatch,
}) => {
  await fakeBuiltIn(page, { availability: 'downloadable', downloadSteps: 5, stepMs: 200 });
  const bench = new BenchmarkPage(page);
  await bench.open();
  await bench.engine.selectOption('built-in');
  const status = bench.view.getByTestId('built-in-status');
  await expect(status).toHaveAttribute('data-availability', 'downloadable');
  await expect(bench.view.getByTestId('built-in-state')).toContainText('Sift downloads nothing itself');

  await bench.run.click();
  await expect(bench.view.getByTestId('built-in-progress')).toContainText(/Chrome is downloading the model: \d+%/);
  await expect(bench.progressText).toContainText(/\d+ of 20 items/);
  await bench.results.waitFor({ timeout: 60_000 });
  await expect(bench.view.getByTestId('built-in-ready')).toContainText('Gemini Nano');
  await expect(status).toHaveAttribute('data-availability', 'available');
  await expect(bench.categories).toHaveCount(6);
  // The fake obeys the JSON Schema but knows nothing: every output is valid, few are right.
  const { run } = await bench.exportJson();
  expect(run).toMatchObject({ engine: { id: 'built-in:chrome', location: 'on-device' }, overall: { items: 20 } });
  expect((run['overall'] as { accuracy: number }).accuracy).toBeLessThan(0.5);
  expect(consoleWatch.errors).toEqual([]);
});

test('a run can be cancelled: what finished is shown and nothing goes into history', async ({ page }) => {
  await fakeBuiltIn(page, { availability: 'available', pieceMs: 40 });
  const bench = new BenchmarkPage(page);
  await bench.open();
  await bench.engine.selectOption('built-in');
  await bench.run.click();
  await expect(bench.progressText).toContainText(/^[2-9] of 20 items/, { timeout: 30_000 });
  await bench.cancel.click();
  await expect(page.getByTestId('bench-cancelled')).toContainText(/Cancelled after \d+ of 20 items/);
  await expect(bench.results).toHaveAttribute('data-cancelled', 'true');
  await expect(bench.run).toBeEnabled();
  const { run } = await bench.exportJson();
  expect(run).toMatchObject({ cancelled: true });
  await expect(page.getByTestId('bench-history-empty')).toBeVisible();
});

test("the built-in model's errors are said in words: a failed download", async ({ page }) => {
  await fakeBuiltIn(page, { availability: 'downloadable', failDownload: true, downloadSteps: 4 });
  const bench = new BenchmarkPage(page);
  await bench.open();
  await bench.engine.selectOption('built-in');
  await bench.run.click();
  await expect(bench.error).toContainText('could not download its built-in model');
  await expect(bench.view.getByTestId('built-in-error')).toContainText('22 GB');
});
