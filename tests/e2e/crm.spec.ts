import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { CrmPanel } from './pages/crm-panel.ts';

/** A HubSpot "Export view" of companies: its real header labels, one row without name or domain. */
const HUBSPOT_CSV = [
  'Record ID,Company name,Company Domain Name,Lifecycle Stage,Create Date',
  '101,Acme Robotics,acmerobotics.com,Customer,2024-05-01 10:00',
  '102,Globex,https://www.globex.io,Lead,2024-05-02 11:00',
  '103,,,Lead,2024-05-03 12:00',
  '104,Initech GmbH,initech.de,Lead,2024-05-04 13:00',
  '105,Acme Robotics (EU),app.acmerobotics.com,Customer,2024-05-05 14:00',
].join('\r\n');

/** Serious and critical axe violations inside the CRM panel, as `id: target` lines. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="crm-panel"]').analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

function bigCsv(rows: number): string {
  const lines = ['Company name,Website,Description'];
  for (let i = 0; i < rows; i++) lines.push(`Company ${i},https://company${i}.com,Row ${i} of a big import`);
  return lines.join('\n');
}

test('imports a HubSpot CSV through the mapping preview, then searches, edits, exports and re-imports to the same data', async ({
  page,
  consoleWatch,
}) => {
  const crm = new CrmPanel(page);
  await crm.open();
  await expect(page.getByTestId('crm-empty')).toContainText('HubSpot');

  await crm.chooseCsv('hubspot-companies.csv', HUBSPOT_CSV);
  await expect(page.getByTestId('import-format')).toContainText('HubSpot');
  await expect(crm.mappingFor('name')).toHaveValue('1');
  await expect(crm.mappingFor('name').locator('option:checked')).toHaveText('Company name');
  await expect(crm.mappingFor('domain').locator('option:checked')).toHaveText('Company Domain Name');
  await expect(crm.mappingFor('externalId').locator('option:checked')).toHaveText('Record ID');
  await expect(crm.importSection.getByRole('table', { name: 'First rows of the file' })).toContainText('Globex');
  // The user decides the lifecycle stage is worth keeping as a tag.
  await crm.mappingFor('tags').selectOption({ label: 'Lifecycle Stage' });
  expect(await accessibilityProblems(page)).toEqual([]);
  await crm.importAs('replace');

  await expect(crm.report).toContainText(
    'Imported 3 companies from 5 rows, 1 duplicates merged by domain, 1 rows skipped',
  );
  await expect(page.getByTestId('row-errors')).toHaveText('Line 4: no company name, domain or website');
  await expect(crm.count).toContainText('3 companies');
  expect(await crm.names()).toEqual(['Acme Robotics', 'Globex', 'Initech GmbH']);
  await expect(crm.row('Globex')).toContainText('globex.io');
  await expect(crm.row('Globex')).toContainText('Lead');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByRole('button', { name: 'Done' }).click();

  await crm.search('globex');
  await expect(crm.rows).toHaveCount(1);
  await crm.row('Globex').getByRole('button', { name: 'Edit Globex' }).click();
  const form = page.getByTestId('company-form');
  await expect(form.getByLabel('Name', { exact: true })).toBeFocused();
  await form.getByLabel('Name', { exact: true }).fill('Globex Corporation');
  await form.getByLabel(/Alias domains/).fill('globex.com');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('crm-status')).toHaveText('Globex Corporation saved.');
  await crm.search('');
  await expect(crm.rows).toHaveCount(3);

  // Everything above is in IndexedDB: a reload shows it.
  await page.reload();
  await page.getByTestId('tab-crm').click();
  await expect(crm.count).toContainText('3 companies');
  await expect(crm.row('Globex Corporation')).toContainText('globex.com');

  const exported = await crm.exportCsv();
  expect(exported.split('\r\n')[0]).toBe(
    'name,domain,alias_domains,website,tags,notes,source,external_id,sift_id,created_at,updated_at',
  );
  await crm.chooseCsv('sift-export.csv', exported);
  await expect(page.getByTestId('import-format')).toContainText('Sift');
  await crm.importAs('replace');
  await expect(crm.report).toContainText('Imported 3 companies');
  await page.getByRole('button', { name: 'Done' }).click();
  expect(await crm.exportCsv()).toBe(exported);
  expect(consoleWatch.errors).toEqual([]);
});

test('adds a company by hand and deletes it only after confirmation', async ({ page }) => {
  const crm = new CrmPanel(page);
  await crm.open();
  await page.getByRole('button', { name: 'Add company' }).click();
  const form = page.getByTestId('company-form');
  await form.getByLabel('Name', { exact: true }).fill('Hooli');
  await form.getByLabel('Website', { exact: true }).fill('not a website');
  await form.getByRole('button', { name: 'Add company' }).click();
  await expect(form.getByRole('alert')).toContainText('“not a website” is not a web domain');
  await form.getByLabel('Website', { exact: true }).fill('https://hooli.xyz/about');
  await form.getByRole('button', { name: 'Add company' }).click();
  await expect(crm.row('Hooli')).toContainText('hooli.xyz');

  await crm.row('Hooli').getByRole('button', { name: 'Delete Hooli' }).click();
  await crm.row('Hooli').getByRole('button', { name: 'Keep' }).click();
  await expect(crm.rows).toHaveCount(1);
  await crm.row('Hooli').getByRole('button', { name: 'Delete Hooli' }).click();
  await crm.row('Hooli').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(crm.rows).toHaveCount(0);
  await expect(page.getByTestId('crm-empty')).toBeVisible();
});

test('on a phone each company is a card: its name keeps the width, and the page does not scroll sideways', async ({
  page,
}) => {
  const crm = new CrmPanel(page);
  await crm.open();
  await crm.chooseCsv(
    'companies.csv',
    [
      'Company name,Website,Tags',
      'Tidewater Robotics International Holdings,https://tidewater-robotics-international-holdings.io/,robotics',
      'Okapi,,health',
    ].join('\n'),
  );
  await crm.importAs('replace');
  await expect(crm.count).toContainText('2 companies');
  await page.setViewportSize({ width: 375, height: 812 });
  for (const row of await crm.rows.all()) {
    // In a table the Edit and Delete buttons left the name a column one or two letters wide.
    const name = await row.locator('th').boundingBox();
    expect(name!.width, 'the name is squeezed').toBeGreaterThan(250);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/screenshots/crm-companies-375.png', fullPage: true });
});

test('bad files get a clear message and leave the CRM as it was', async ({ page }) => {
  const crm = new CrmPanel(page);
  await crm.open();
  await crm.chooseCsv('hubspot.csv', HUBSPOT_CSV);
  await crm.importAs('replace');
  await expect(crm.count).toContainText('3 companies');
  await page.getByRole('button', { name: 'Done' }).click();

  await crm.fileInput.setInputFiles({
    name: 'companies.xlsx',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]),
  });
  await expect(crm.importError).toContainText('not a CSV');

  await crm.chooseCsv('broken.csv', 'Name,Website\nAcme,acme.com\n"Broken,broken.com\nLast,last.com\n');
  await crm.importAs('replace');
  await expect(crm.importError).toContainText('Line 3: a quoted value starts here and is never closed');
  await expect(crm.count).toContainText('3 companies');

  // Excel's semicolon CSV with its sep= line and a byte-order mark imports as is.
  await crm.chooseCsv('excel.csv', '\uFEFFsep=;\r\nName;Website\r\nUmbrella;umbrella.co.uk\r\n');
  await crm.importAs('merge');
  await expect(crm.report).toContainText('Your CRM now has 4 companies');

  // Cancelling a large import keeps what was there.
  await page.getByRole('button', { name: 'Done' }).click();
  await crm.chooseCsv('big.csv', bigCsv(150_000));
  await crm.importAs('replace');
  await expect(crm.progress.locator('progress')).toBeVisible();
  // Leaving the CRM section and coming back shows the same import, still running, still cancellable.
  await page.getByTestId('tab-newsletter').click();
  await expect(crm.panel).toBeHidden();
  await page.getByTestId('tab-crm').click();
  await expect(crm.progress.locator('progress')).toBeVisible();
  await expect(crm.importSection.getByRole('heading')).toHaveText('Import big.csv');
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await expect(crm.importError).toHaveText('Import cancelled. Your CRM is unchanged.');
  await expect(crm.count).toContainText('4 companies');
});

test('a page closed in the middle of a large import reopens with the old CRM whole, not half the new one', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const crm = new CrmPanel(page);
  await crm.open();
  await crm.chooseCsv('hubspot.csv', HUBSPOT_CSV);
  await crm.importAs('replace');
  await expect(crm.count).toContainText('3 companies');
  const keysBefore = (await crm.storedKeys()).sort();

  await crm.chooseCsv('big.csv', bigCsv(290_000));
  await crm.importAs('replace');
  // Close while chunks of the new generation are being written, before the manifest flips.
  await expect(crm.progress).toContainText('Saving to this browser', { timeout: 60_000 });
  await page.close();

  const reopened = await context.newPage();
  const again = new CrmPanel(reopened);
  await again.open();
  await expect(again.count).toContainText('3 companies');
  expect(await again.names()).toEqual(['Acme Robotics', 'Globex', 'Initech GmbH']);
  // The half-written chunks were swept on open: the store holds exactly what it held before.
  await expect.poll(async () => (await again.storedKeys()).sort()).toEqual(keysBefore);
});
