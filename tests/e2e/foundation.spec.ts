import { expect, test } from './fixtures.ts';

test('the production build works from a sub-path of a plain static server and shows the WebGPU status', async ({
  page,
  consoleWatch,
}) => {
  const response = await page.goto('./');
  expect(response?.status()).toBe(200);
  expect(new URL(page.url()).pathname).toBe('/tools/sift/');
  await expect(page.getByRole('heading', { name: 'Sift', level: 1 })).toBeVisible();
  // This machine has no GPU; the test launch flags give a SwiftShader adapter.
  await expect(page.getByTestId('webgpu-state')).toHaveText('WebGPU available');
  await expect(page.getByTestId('webgpu-adapter')).not.toBeEmpty();
  await expect(page.getByTestId('webgpu-f16')).toContainText(/q4f(16|32)/);
  expect(consoleWatch.errors).toEqual([]);
});

test('with no graphics adapter the Newsletter page gives the reason once, on the tools-only banner', async ({
  page,
  consoleWatch,
}) => {
  // A browser with WebGPU turned off or blocklisted: `navigator.gpu` is there, its adapter request answers null.
  await page.addInitScript(() => {
    const gpu = Object.getPrototypeOf(navigator.gpu) as { requestAdapter: () => Promise<null> };
    gpu.requestAdapter = () => Promise.resolve(null);
  });
  await page.goto('./');
  await expect(page.getByTestId('webgpu-state')).toHaveText('No graphics adapter for WebGPU');
  const reason = 'no graphics adapter is available';
  await expect(page.getByTestId('tools-only-banner')).toContainText(reason);
  await expect(page.locator('#panel-newsletter').getByText(reason)).toHaveCount(1);
  expect(consoleWatch.errors).toEqual([]);
});
