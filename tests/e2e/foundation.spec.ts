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
