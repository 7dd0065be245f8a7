import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { SiftApp } from './pages/sift-app.ts';
import { CORRECTIONS_NEWSLETTER, UNSURE_PLAIN } from './unsure-newsletters.ts';

const MARKED = /Not a startup: you marked tidewaterrobotics\.io as not a startup on \d{1,2} [A-Z][a-z]{2}\./;

async function runNewsletter(app: SiftApp): Promise<void> {
  await app.show('newsletter');
  await app.pasteHtml(CORRECTIONS_NEWSLETTER, UNSURE_PLAIN);
  await app.run();
  await expect(app.progress).toHaveAttribute('data-status', 'done');
}

async function expectMarkedOut(app: SiftApp, page: Page): Promise<void> {
  await expect(app.row('Tidewater Robotics')).toHaveCount(0);
  await expect(app.row('Quillmark')).toHaveCount(1);
  await page.getByTestId('maybe-summary').click();
  const maybe = page.getByTestId('maybe-row').filter({ hasText: 'Tidewater Robotics' });
  await expect(maybe.getByTestId('maybe-reason')).toHaveText(MARKED);
}

async function expectMeterAtZero(page: Page): Promise<void> {
  await expect(page.getByTestId('egress-requests')).toHaveText('0');
  await expect(page.getByTestId('egress-bytes')).toHaveText('0 B');
}

test.describe('corrections that teach Sift (real Chromium, real IndexedDB, tools worker)', () => {
  test('"Not a startup" holds on the next run with its reason; undo brings it back; an export imported in a fresh profile gives the same result; nothing leaves the device', async ({
    page,
    browser,
    consoleWatch,
  }) => {
    const app = new SiftApp(page);
    await app.open();
    await runNewsletter(app);
    await expect(app.row('Tidewater Robotics')).toHaveCount(1);

    await app.row('Tidewater Robotics').getByTestId('not-startup').click();
    await expect(page.getByTestId('results-message')).toHaveText(
      'Tidewater Robotics is not a startup: Sift will remember.',
    );
    await expectMarkedOut(app, page);

    // The same newsletter again: the tools worker applies the stored correction.
    await runNewsletter(app);
    await expectMarkedOut(app, page);

    await app.show('settings');
    const panel = page.getByTestId('corrections-panel');
    const listed = panel.getByTestId('correction');
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText('you marked tidewaterrobotics.io as not a startup on');
    await expect(listed).toContainText('results table:');
    const download = page.waitForEvent('download');
    await panel.getByTestId('corrections-export').click();
    const exported = readFileSync(await (await download).path(), 'utf8');
    expect(JSON.parse(exported)).toMatchObject({
      app: 'sift',
      kind: 'corrections',
      corrections: [{ kind: 'not-startup' }],
    });

    await listed.getByTestId('correction-undo').click();
    await expect(panel.getByTestId('corrections-empty')).toBeVisible();
    await runNewsletter(app);
    await expect(app.row('Tidewater Robotics')).toHaveCount(1);
    await expectMeterAtZero(page);
    expect(consoleWatch.errors).toEqual([]);

    // A fresh profile: a bad file is refused and changes nothing; the export is previewed, merged, and holds.
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(page.url());
    const second = new SiftApp(other);
    await other.getByRole('heading', { name: 'Sift', level: 1 }).waitFor();
    await second.show('settings');
    const otherPanel = other.getByTestId('corrections-panel');
    await expect(otherPanel.getByTestId('corrections-empty')).toBeVisible();
    await otherPanel.getByTestId('corrections-file').setInputFiles({
      name: 'contacts.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"name": "not corrections"}'),
    });
    await expect(otherPanel.getByTestId('corrections-error')).toContainText(
      'contacts.json is not a Sift corrections file',
    );
    await expect(otherPanel.getByTestId('corrections-empty')).toBeVisible();
    await otherPanel.getByTestId('corrections-file').setInputFiles({
      name: 'team.json',
      mimeType: 'application/json',
      buffer: Buffer.from(exported),
    });
    await expect(otherPanel.getByTestId('corrections-preview')).toContainText('team.json: 1 new');
    await expect(otherPanel.getByTestId('corrections-empty')).toBeVisible();
    await otherPanel.getByTestId('corrections-import-confirm').click();
    await expect(otherPanel.getByTestId('correction')).toHaveCount(1);
    await expect(otherPanel.getByTestId('correction')).toContainText('imported from team.json');

    await runNewsletter(second);
    await expectMarkedOut(second, other);
    await expectMeterAtZero(other);
    await fresh.close();
  });

  test('"Is a startup" on a Maybe row and a new name hold on the next run', async ({ page, consoleWatch }) => {
    const app = new SiftApp(page);
    await app.open();
    await runNewsletter(app);
    await page.getByTestId('maybe-summary').click();
    await page.getByTestId('maybe-row').filter({ hasText: 'Harborly' }).getByTestId('maybe-is-startup').click();
    await expect(app.row('Harborly')).toHaveCount(1);

    await app.row('Quillmark').getByTestId('rename').click();
    await page.getByTestId('rename-input').fill('Quillmark Writing Co');
    await page.getByTestId('rename-save').click();
    await expect(app.row('Quillmark Writing Co')).toHaveCount(1);

    await runNewsletter(app);
    const harborly = app.row('Harborly');
    await expect(harborly).toHaveCount(1);
    await expect(harborly.locator('.confidence [title]')).toHaveAttribute(
      'title',
      /you marked harborly\.io as a startup on/,
    );
    await expect(app.row('Quillmark Writing Co')).toHaveCount(1);
    await expectMeterAtZero(page);
    expect(consoleWatch.errors).toEqual([]);
  });

  test('"Is a startup" on a link the trace lists as turned down by the rules moves it into the table, and it holds on the next run', async ({
    page,
    consoleWatch,
  }) => {
    const app = new SiftApp(page);
    await app.open();
    await runNewsletter(app);
    await expect(app.row('Ferngrove')).toHaveCount(0);
    await page.getByTestId('trace-turned-down-summary').click();
    const listed = page.getByTestId('trace-link').filter({ hasText: 'ferngrove.net' });
    await expect(listed).toContainText('turned down by rules');
    await expect(listed.getByTestId('trace-link-reason')).toContainText('Not a startup (');
    // The Maybe group's links are listed too: the model or the rules turned them down as well.
    await expect(page.getByTestId('trace-link').filter({ hasText: 'harborly.io' })).toHaveCount(1);

    await listed.getByTestId('trace-is-startup').click();
    await expect(page.getByTestId('trace-links-message')).toHaveText(
      'Ferngrove moved into the table as a startup: Sift will remember.',
    );
    await expect(listed).toHaveCount(0);
    const row = app.row('Ferngrove');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('New');
    await expect(row.locator('.confidence [title]')).toHaveAttribute(
      'title',
      /you marked ferngrove\.net as a startup on/,
    );

    await app.show('settings');
    await expect(page.getByTestId('corrections-panel').getByTestId('correction')).toContainText(
      'you marked ferngrove.net as a startup on',
    );
    await runNewsletter(app);
    await expect(app.row('Ferngrove')).toHaveCount(1);
    await expect(app.row('Ferngrove').locator('.confidence [title]')).toHaveAttribute(
      'title',
      /you marked ferngrove\.net as a startup on/,
    );
    await expectMeterAtZero(page);
    expect(consoleWatch.errors).toEqual([]);
  });
});
