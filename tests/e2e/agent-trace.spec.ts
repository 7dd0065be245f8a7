import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.ts';
import { SiftApp } from './pages/sift-app.ts';

test('the trace shows a rejected model output, its repair and each gate, and exports as JSON', async ({
  page,
  consoleWatch,
}) => {
  // Test-only hook (src/ui/engine/test-engine.ts): the first judgement is garbage, the rest are right.
  await page.addInitScript(() => {
    (globalThis as { __SIFT_TEST_ENGINE__?: unknown }).__SIFT_TEST_ENGINE__ = {
      outputs: ['Sure! Here are the startups: Brightdesk'],
      judgeByDomain: { 'brightdesk.example': { startup: false, name: 'Brightdesk' } },
      info: { id: 'test:scripted-e2e' },
      // What WebLLM measures of each call (usage.extra), reported by the test engine as WebLLM would.
      speed: { time_to_first_token_s: 0.42, prefill_tokens_per_s: 310, decode_tokens_per_s: 21.5, grammar_init_s: 0.8 },
    };
  });
  const app = new SiftApp(page);
  await app.open();
  await app.show('newsletter');
  await app.trySample();
  await app.run();
  await app.waitForRunEnd();

  const trace = page.getByTestId('trace-panel');
  const rejected = trace.locator('[data-testid="trace-step"][data-kind="judge"]').first();
  await expect(rejected).toContainText('test:scripted-e2e');
  await expect(rejected.getByTestId('trace-speed')).toHaveText(
    'first token 0.42 s · prefill 310 tokens/s · decode 21.5 tokens/s · grammar set-up 0.80 s',
  );
  await expect(rejected.locator('[data-gate="constrained"]')).toHaveAttribute('data-ok', 'true');
  await expect(rejected.locator('[data-gate="schema"]')).toHaveAttribute('data-ok', 'false');
  await expect(rejected.locator('[data-gate="schema"]')).toContainText('Gate 2 (schema): rejected');
  await rejected.getByText('Raw model output').click();
  await expect(rejected.getByTestId('trace-raw')).toHaveText('Sure! Here are the startups: Brightdesk');
  const repair = trace.locator('[data-testid="trace-step"][data-kind="judge"]').nth(1);
  await expect(repair).toContainText('(repair 1)');
  await expect(repair).toContainText('repairs step');
  await expect(repair.locator('[data-gate="state"]')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('trace-totals')).toContainText('1 outputs rejected by a gate');

  const accessibility = await new AxeBuilder({ page }).include('[data-testid="trace-panel"]').analyze();
  expect(accessibility.violations).toEqual([]);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trace-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^sift-trace-.+\.json$/);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(exported).toMatchObject({ format: 'sift-trace', version: 1, job: 'newsletter', totals: { rejected: 1 } });
  const judged = exported.steps.filter((step: { kind: string }) => step.kind === 'judge');
  expect(judged[0]).toMatchObject({
    raw: 'Sure! Here are the startups: Brightdesk',
    engine: { id: 'test:scripted-e2e', location: 'test' },
    speed: { time_to_first_token_s: 0.42, decode_tokens_per_s: 21.5 },
    gates: [
      { gate: 'constrained', ok: true },
      { gate: 'schema', ok: false },
    ],
  });
  expect(judged[1]).toMatchObject({ attempt: 1, repairOf: judged[0].index });
  expect(consoleWatch.errors).toEqual([]);
});
