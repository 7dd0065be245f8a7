import { SiftApp } from './pages/sift-app.ts';
import { expect, test } from './fixtures.ts';

test('a crashed tools worker is restarted and the user is told, and the next run works', async ({ page }) => {
  const app = new SiftApp(page);
  await app.open();
  await app.trySample();
  await app.run();
  await expect(app.rows.first()).toBeVisible();

  const tools = page.workers().find((worker) => worker.url().includes('tools.worker'));
  expect(tools, 'the run started the tools worker').toBeDefined();
  // An uncaught error inside the worker is what a real crash looks like to the page.
  await tools!.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash');
    });
  });
  await expect(page.getByText('The tools worker stopped and was restarted')).toBeVisible();

  const restarted = page.waitForEvent('worker', (worker) => worker.url().includes('tools.worker'));
  await app.run();
  await restarted;
  await expect(app.rows.first()).toBeVisible();
});
