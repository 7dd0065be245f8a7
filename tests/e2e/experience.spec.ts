import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { SiftApp } from './pages/sift-app.ts';

/** Fails on serious and critical axe violations, listing them so the failure says what to fix. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(
    blocking.map(
      (violation) =>
        `${screen}: ${violation.id} (${violation.impact}) at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

async function pasteHtml(page: Page, html: string, plain: string): Promise<void> {
  await page.getByTestId('newsletter-text').focus();
  await page.evaluate(
    ([html, plain]) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', plain);
      const target = document.querySelector('[data-testid="newsletter-text"]')!;
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    [html, plain] as const,
  );
}

test.describe('the newsletter experience', () => {
  test('tools-only: the sample runs to a table of its startups, and the CSV export has the same rows', async ({
    page,
    consoleWatch,
  }) => {
    const app = new SiftApp(page);
    await app.open();
    await app.trySample();
    await expect(app.newsletterText).toHaveValue(/The Frontier Letter/);
    await expect(page.getByTestId('input-note')).toContainText('made-up newsletter');
    await app.run();
    await expect(app.progress).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('stage-links')).toContainText('unwrapped from trackers');
    await expect(page.getByTestId('tools-only-banner')).toBeVisible();

    const names = (await app.statuses()).map(([name]) => name);
    for (const startup of [
      'Quillmark',
      'Tidewater Robotics',
      'Ferrous Labs',
      'Lumen Ledger',
      'Parcelbird',
      'Okapi Health',
    ])
      expect(names).toContain(startup);
    for (const notAStartup of ['GitHub', 'X', 'LinkedIn', 'The New York Times'])
      expect(names).not.toContain(notAStartup);

    const download = await app.exportCsv();
    expect(download.suggestedFilename()).toMatch(/^sift-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
    const csv = Papa.parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { header: true });
    expect(csv.data.map((record) => record.company).sort()).toEqual([...names].sort());
    expect(csv.data.find((record) => record.company === 'Quillmark')).toMatchObject({
      website: 'https://quillmark.dev/',
      crm_status: 'not-in-crm',
    });
    expect(consoleWatch.errors).toEqual([]);
  });

  test('HTML pasted from an email client keeps the links hidden behind words', async ({ page }) => {
    const app = new SiftApp(page);
    await app.open();
    await pasteHtml(
      page,
      '<p>We liked <a href="https://www.google.com/url?q=https%3A%2F%2Fharbourline.io%2F&amp;sa=D">Harbourline</a>, which raised a seed round to automate port paperwork.</p>',
      'We liked Harbourline, which raised a seed round to automate port paperwork.',
    );
    await expect(app.newsletterText).toHaveValue(
      'We liked Harbourline, which raised a seed round to automate port paperwork.',
    );
    await expect(page.getByTestId('input-note')).toContainText('links behind words are kept');
    // Ctrl+Enter runs from the paste area.
    await app.newsletterText.press('Control+Enter');
    await app.waitForRunEnd();
    await expect(app.row('Harbourline')).toContainText('harbourline.io');
  });

  test('bad files get a clear message and lose nothing already pasted', async ({ page, consoleWatch }) => {
    const app = new SiftApp(page);
    await app.open();
    await app.newsletterText.fill('My own notes about a newsletter');
    const chooser = page.getByTestId('file-input');
    await chooser.setInputFiles({
      name: 'scan.html',
      mimeType: 'text/html',
      buffer: Buffer.from('%PDF-1.7\n\0\0binary'),
    });
    await expect(page.getByTestId('input-problem')).toContainText('looks like a PDF');
    await chooser.setInputFiles({ name: 'deck.pptx', mimeType: 'application/octet-stream', buffer: Buffer.from('x') });
    await expect(page.getByTestId('input-problem')).toContainText('is not a file Sift reads');
    await expect(app.newsletterText).toHaveValue('My own notes about a newsletter');

    // A real .eml file goes through the worker as bytes.
    const eml = [
      'From: Frontier <hello@frontier.example>',
      'To: you@example.com',
      'Subject: Issue 43',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>New this week: <a href="https://saltmarsh.dev/?utm_source=frontier">Saltmarsh</a> raised $3M to build billing for water utilities.</p>',
    ].join('\r\n');
    await chooser.setInputFiles({ name: 'issue-43.eml', mimeType: 'message/rfc822', buffer: Buffer.from(eml) });
    await expect(page.getByTestId('input-note')).toContainText('issue-43.eml');
    await app.run();
    await expect(app.row('Saltmarsh')).toContainText('saltmarsh.dev');
    expect(consoleWatch.errors).toEqual([]);
  });

  test('history keeps past runs: reopen one, delete it', async ({ page }) => {
    const app = new SiftApp(page);
    await app.open();
    await app.trySample();
    await app.run();
    const shown = await app.statuses();
    await app.show('history');
    const entry = page.getByTestId('history-run').filter({ hasText: 'The Frontier Letter' });
    await expect(entry).toHaveCount(1);
    await page.reload();
    await app.show('history');
    await entry.getByTestId('history-open').click();
    await expect(page.getByTestId('tab-newsletter')).toHaveAttribute('aria-selected', 'true');
    expect(await app.statuses()).toEqual(shown);
    await app.show('history');
    await entry.getByTestId('history-delete').click();
    await entry.getByTestId('history-delete-yes').click();
    await expect(entry).toHaveCount(0);
    await page.reload();
    await app.show('history');
    await expect(page.getByTestId('history-empty')).toBeVisible();
  });

  test('main screens have no serious or critical accessibility violations, in light and dark', async ({ page }) => {
    const app = new SiftApp(page);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await app.open();
      await expectAccessible(page, `newsletter (${colorScheme})`);
      await app.trySample();
      await app.run();
      await expectAccessible(page, `results (${colorScheme})`);
      for (const section of ['crm', 'history', 'settings'] as const) {
        await app.show(section);
        await expectAccessible(page, `${section} (${colorScheme})`);
      }
    }
  });

  test('works offline after the first visit', async ({ page, context }) => {
    const app = new SiftApp(page);
    await app.open();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The first load is not controlled by the service worker yet; a reload is.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sift', level: 1 })).toBeVisible();
    await app.trySample();
    await app.run();
    await expect(app.row('Quillmark')).toBeVisible();
    await context.setOffline(false);
  });

  test('screenshots of the main screens at 1280 and 375 px', async ({ page }) => {
    const app = new SiftApp(page);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
      await app.open();
      await app.screenshot(`newsletter-${width}`);
      await app.trySample();
      await app.run();
      await app.screenshot(`results-${width}`);
      for (const section of ['crm', 'history', 'settings'] as const) {
        await app.show(section);
        await app.screenshot(`${section}-${width}`);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `page scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
    }
  });
});
