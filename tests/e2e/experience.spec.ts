import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { CrmPanel } from './pages/crm-panel.ts';
import { SiftApp } from './pages/sift-app.ts';

/** An Attio-style export that already knows two of the sample's startups (by domain and by alias). */
const KNOWN_COMPANIES_CSV = [
  'Company name,Website,Alias domains',
  'Quillmark,https://quillmark.dev,',
  'Ferrous Labs Inc,https://ferrous.example,ferrouslabs.ai',
  'Northgate Ventures,https://northgate.example,',
].join('\n');

/** Seeds the local CRM the way a person does: the CRM view's CSV import. */
async function seedCrm(page: Page): Promise<void> {
  const crm = new CrmPanel(page);
  await crm.open();
  await crm.chooseCsv('companies.csv', KNOWN_COMPANIES_CSV);
  await crm.importAs('replace');
  await expect(crm.report).toContainText('Imported 3 companies');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(crm.count).toContainText('3 companies');
}

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

test.describe('the newsletter experience', () => {
  test('the whole flow, tools-only: sample → run → table with CRM statuses and evidence → confirmed add → CSV export', async ({
    page,
    consoleWatch,
  }) => {
    await seedCrm(page);
    const app = new SiftApp(page);
    await app.show('newsletter');
    await app.trySample();
    await expect(app.newsletterText).toHaveValue(/The Frontier Letter/);
    await expect(page.getByTestId('input-note')).toContainText('made-up newsletter');
    const started = Date.now();
    await app.run();
    // A measurement for the report, not an assertion: click to table, cold tools worker and CRM index.
    console.log(`sample newsletter, click to table (tools-only, cold worker): ${Date.now() - started} ms`);
    await expect(app.progress).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('stage-links')).toContainText('unwrapped from trackers');
    await expect(page.getByTestId('stage-crm')).toContainText('2 in the CRM');
    await expect(page.getByTestId('tools-only-banner')).toBeVisible();

    const statuses = new Map(await app.statuses());
    expect(statuses.get('Quillmark')).toBe('In CRM');
    expect(statuses.get('Ferrous Labs')).toBe('In CRM');
    for (const fresh of ['Tidewater Robotics', 'Parcelbird']) expect(statuses.get(fresh)).toBe('New');
    // Lumen Ledger and Okapi Health sit near the rules' line (the model test below has them judged): without a
    // model each goes wherever the rules lean, into the table as new or under Maybe, and is never lost.
    const unsure = ['Lumen Ledger', 'Okapi Health'];
    for (const name of unsure.filter((name) => statuses.has(name))) expect(statuses.get(name)).toBe('New');
    const inMaybe = unsure.filter((name) => !statuses.has(name));
    // The Maybe group is there only when the rules turned one down.
    if (inMaybe.length > 0) await page.getByTestId('maybe-summary').click();
    for (const name of inMaybe) await expect(page.getByTestId('maybe-row').filter({ hasText: name })).toHaveCount(1);
    // Brightdesk paid for its place ("Sponsored by"): wherever the rules put it, its row says so, and no other does.
    const sponsor = statuses.has('Brightdesk')
      ? app.row('Brightdesk')
      : page.getByTestId('maybe-row').filter({ hasText: 'Brightdesk' });
    if (!statuses.has('Brightdesk') && inMaybe.length === 0) await page.getByTestId('maybe-summary').click();
    await expect(sponsor.getByTestId('row-sponsored')).toHaveText('sponsor');
    await expect(page.getByTestId('row-sponsored')).toHaveCount(1);
    for (const notAStartup of ['GitHub', 'X', 'LinkedIn', 'The New York Times', 'Northgate Ventures'])
      expect(statuses.has(notAStartup)).toBe(false);
    await expect(app.row('Quillmark').getByTestId('row-evidence')).toContainText('quillmark.dev');
    await expect(app.row('Ferrous Labs').getByTestId('row-evidence')).toContainText('ferrouslabs.ai');
    await expect(app.row('Quillmark').getByRole('link', { name: /Open quillmark\.dev/ })).toHaveAttribute(
      'rel',
      'noopener noreferrer',
    );

    // Adding asks first; cancelling writes nothing.
    await app.row('Parcelbird').getByTestId('add-to-crm').click();
    const dialog = page.getByTestId('confirm-add');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('parcelbird.app');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(app.row('Parcelbird').getByTestId('row-status')).toHaveText('New');
    await app.row('Parcelbird').getByTestId('add-to-crm').click();
    await page.getByTestId('confirm-add-yes').click();
    await expect(app.row('Parcelbird').getByTestId('row-status')).toHaveText('In CRM');

    // Only new, then export what is shown: every row still new, Tidewater Robotics among them.
    const stillNew = [...statuses.entries()]
      .filter(([name, status]) => status === 'New' && name !== 'Parcelbird')
      .map(([name]) => name)
      .sort();
    expect(stillNew).toContain('Tidewater Robotics');
    await page.getByTestId('only-new').check();
    await expect(app.rows).toHaveCount(stillNew.length);
    const download = await app.exportCsv();
    expect(download.suggestedFilename()).toMatch(/^sift-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
    const csv = Papa.parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { header: true });
    expect(csv.errors).toEqual([]);
    expect(csv.data.map((record) => record.company).sort()).toEqual(stillNew);
    expect(csv.data.find((record) => record.company === 'Tidewater Robotics')).toMatchObject({
      website: 'https://tidewaterrobotics.io/',
      crm_status: 'not-in-crm',
      sponsored: '',
    });
    if (statuses.has('Brightdesk')) {
      expect(csv.data.find((record) => record.company === 'Brightdesk')).toMatchObject({ sponsored: 'yes' });
    }

    // The added company is in the CRM now.
    const crm = new CrmPanel(page);
    await app.show('crm');
    await expect(crm.count).toContainText('4 companies');
    await expect(crm.row('Parcelbird')).toContainText('parcelbird.app');
    expect(consoleWatch.errors).toEqual([]);
  });

  test('the whole flow with the scripted engine: the model judges the uncertain links, the trace shows each call', async ({
    page,
    consoleWatch,
  }) => {
    // Test-only: the production build reads this global (src/ui/engine/test-engine.ts); users cannot set it.
    await page.addInitScript(() => {
      (globalThis as { __SIFT_TEST_ENGINE__?: unknown }).__SIFT_TEST_ENGINE__ = {
        judgeByDomain: {
          'quillmark.dev': { startup: true, name: 'Quillmark' },
          'tidewaterrobotics.io': { startup: true, name: 'Tidewater Robotics' },
          'ferrouslabs.ai': { startup: true, name: 'Ferrous Labs' },
          'lumenledger.co': { startup: true, name: 'Lumen Ledger' },
          'parcelbird.app': { startup: true, name: 'Parcelbird' },
          'okapihealth.com': { startup: true, name: 'Okapi Health' },
          'brightdesk.example': { startup: false, name: 'Brightdesk' },
        },
      };
    });
    await seedCrm(page);
    const app = new SiftApp(page);
    await app.show('newsletter');
    await expect(page.getByTestId('tools-only-banner')).toHaveCount(0);
    await app.trySample();
    await app.run();
    await expect(page.getByTestId('stage-model')).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('stage-model')).toContainText('judged');

    const statuses = new Map(await app.statuses());
    expect(statuses).toEqual(
      new Map([
        ['Quillmark', 'In CRM'],
        ['Tidewater Robotics', 'New'],
        ['Ferrous Labs', 'In CRM'],
        ['Lumen Ledger', 'New'],
        ['Parcelbird', 'New'],
        ['Okapi Health', 'New'],
      ]),
    );
    // Every model call is in the trace, with where it ran.
    const trace = page.getByTestId('trace-panel');
    await expect(trace).toContainText('test engine');
    const download = await app.exportCsv();
    const csv = Papa.parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { header: true });
    expect(csv.data.find((record) => record.company === 'Quillmark')).toMatchObject({
      crm_status: 'in-crm',
      website: 'https://quillmark.dev/',
    });
    // The sure ones were decided by the rules (Lumen Ledger too: the other links under "Launches" are presented as
    // companies). The rules were unsure of Okapi Health, named at the end of a sentence about clinics, so the model
    // judged it (its verdict confirmed by a second sample); Brightdesk (a sponsor) was judged and left out.
    expect(new Map(csv.data.map((record) => [record.company, record.decided_by]))).toEqual(
      new Map([
        ['Quillmark', 'rules'],
        ['Tidewater Robotics', 'rules'],
        ['Ferrous Labs', 'rules'],
        ['Lumen Ledger', 'rules'],
        ['Parcelbird', 'rules'],
        ['Okapi Health', 'model, confirmed by a second sample'],
      ]),
    );
    await expect(trace.locator('[data-testid="trace-step"][data-kind="judge"]')).toHaveCount(1);
    await app.screenshot('results-with-model-1280');
    expect(consoleWatch.errors).toEqual([]);
  });

  test('HTML pasted from an email client keeps the links hidden behind words', async ({ page }) => {
    const app = new SiftApp(page);
    await app.open();
    await app.pasteHtml(
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

    // A dropped Markdown file is read like a chosen one.
    const dropped = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['# Issue 7\n\n[Driftwood](https://driftwood.dev/) raised a seed round.'], 'issue-7.md'));
      return data;
    });
    await page.locator('.drop').dispatchEvent('drop', { dataTransfer: dropped });
    await expect(page.getByTestId('input-note')).toContainText('issue-7.md');

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

  test('an email exported as JSON (the Gmail API message resource) is read like the .eml it stands for', async ({
    page,
    consoleWatch,
  }) => {
    const app = new SiftApp(page);
    await app.open();
    const html = '<p><a href="https://kelpfield.dev/">Kelpfield</a> raised $4M to map seaweed farms from orbit.</p>';
    const message = {
      id: '18f0c2',
      payload: {
        mimeType: 'text/html',
        headers: [{ name: 'From', value: 'Frontier <hello@frontier.example>' }],
        body: { data: Buffer.from(html).toString('base64url') },
      },
    };
    await page.getByTestId('file-input').setInputFiles({
      name: 'issue-44.gmail-api.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(message)),
    });
    await expect(page.getByTestId('input-problem')).toBeEmpty();
    await expect(page.getByTestId('input-note')).toContainText('issue-44.gmail-api.json');
    await app.run();
    await expect(app.row('Kelpfield')).toContainText('kelpfield.dev');
    expect(consoleWatch.errors).toEqual([]);
  });

  test('a huge paste is held without freezing, cancel stops the run at once, and the next run works', async ({
    page,
    consoleWatch,
  }) => {
    const app = new SiftApp(page);
    await app.open();
    const paragraph = 'Meet https://harbourline.io/ which raised a seed round for port paperwork. ';
    const huge = paragraph.repeat(Math.ceil((12 * 2 ** 20) / paragraph.length));
    await app.pasteHtml('', huge);
    await expect(page.getByTestId('input-note')).toContainText('Large paste (12 MB)');
    await expect(app.newsletterText).toHaveJSProperty('readOnly', true);
    await app.runButton.click();
    await page.getByTestId('cancel').click();
    await expect(app.progress).toHaveAttribute('data-status', 'cancelled');
    await expect(page.getByTestId('announcement')).toHaveText('Run cancelled.');
    // The cancelled run's worker was terminated; the next run starts a fresh one.
    await page.getByRole('button', { name: 'Clear' }).click();
    await app.trySample();
    await app.run();
    await expect(app.row('Quillmark')).toBeVisible();
    expect(consoleWatch.errors).toEqual([]);
  });

  test('keyboard only: reach the sample, run with Ctrl+Enter, land on the results, move between sections with arrows', async ({
    page,
  }) => {
    const app = new SiftApp(page);
    await app.open();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    for (let presses = 0; presses < 20; presses++) {
      await page.keyboard.press('Tab');
      if (await page.getByTestId('try-sample').evaluate((element) => element === document.activeElement)) break;
    }
    await expect(page.getByTestId('try-sample')).toBeFocused();
    await page.keyboard.press('Enter');
    await app.newsletterText.focus();
    await page.keyboard.press('Control+Enter');
    await app.waitForRunEnd();
    await expect(page.locator('#results-heading')).toBeFocused();
    await page.getByTestId('tab-newsletter').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('tab-crm')).toBeFocused();
    await expect(page.getByTestId('tab-crm')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('End');
    await expect(page.getByTestId('tab-settings')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Home');
    await expect(page.getByTestId('tab-newsletter')).toHaveAttribute('aria-selected', 'true');
    await expect(app.rows.first()).toBeVisible();
  });

  test('installable: the manifest has relative scope, icons and a share target; shared text lands in the paste area', async ({
    page,
    request,
  }) => {
    const app = new SiftApp(page);
    await app.open();
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifestUrl = new URL(href!, page.url()).href;
    const manifest = (await (await request.get(manifestUrl)).json()) as {
      scope: string;
      start_url: string;
      icons: { src: string; sizes: string }[];
      share_target: { action: string; method: string; params: Record<string, string> };
    };
    expect(manifest.scope).toBe('./');
    expect(manifest.start_url).toBe('./');
    expect(manifest.share_target).toMatchObject({ method: 'GET', params: { text: 'share-text', url: 'share-url' } });
    for (const icon of manifest.icons)
      expect((await request.get(new URL(icon.src, manifestUrl).href)).status()).toBe(200);
    expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));

    await page.goto('./?share-title=Issue%2043&share-url=https%3A%2F%2Ffrontier.example%2F43');
    await expect(app.newsletterText).toHaveValue('Issue 43\nhttps://frontier.example/43');
    await expect(page.getByTestId('input-note')).toHaveText('Shared from another app.');
    expect(new URL(page.url()).search).toBe('');
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
    await expect(page.getByTestId('trace-panel')).toContainText('extract links');
    await app.show('history');
    await entry.getByTestId('history-delete').click();
    await entry.getByTestId('history-delete-yes').click();
    await expect(entry).toHaveCount(0);
    await page.reload();
    await app.show('history');
    await expect(page.getByTestId('history-empty')).toBeVisible();
  });

  test('main screens have no serious or critical accessibility violations, in light and dark', async ({ page }) => {
    // Ten axe scans of whole screens: on a busy two-core machine each takes 5–10 s, so one minute is too short.
    test.slow();
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

  test('works offline after the first visit, with the cached CRM', async ({ page, context }) => {
    const app = new SiftApp(page);
    await seedCrm(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The first load is not controlled by the service worker yet; a reload is.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The shell is precached; WebLLM's multi-MB engine chunk is not (it loads only when a model is used).
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      }
      return urls;
    });
    expect(cached.some((url) => /\/index\.html/.test(url))).toBe(true);
    expect(cached.some((url) => /tools\.worker-/.test(url))).toBe(true);
    expect(cached.some((url) => /llm\.worker-/.test(url))).toBe(false);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sift', level: 1 })).toBeVisible();
    await app.show('crm');
    await expect(new CrmPanel(page).count).toContainText('3 companies');
    await app.show('newsletter');
    await app.trySample();
    await app.run();
    await expect(app.row('Quillmark').getByTestId('row-status')).toHaveText('In CRM');
    await context.setOffline(false);
  });

  test('screenshots of the main screens at 1280, 900 and 375 px', async ({ page }) => {
    const app = new SiftApp(page);
    // 900 px is a half-screen window: too wide for the phone's cards, too narrow for every action on one line.
    for (const width of [1280, 900, 375]) {
      await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
      await app.open();
      await app.screenshot(`newsletter-${width}`);
      await app.trySample();
      await app.run();
      await app.screenshot(`results-${width}`);
      // A row's last action is on screen, not clipped off the edge of a narrow card or scrolled out of the table.
      for (const rename of await app.rows.getByTestId('rename').all()) {
        const box = await rename.boundingBox();
        expect(box && box.x + box.width, `a row's Rename is out of view at ${width}px`).toBeLessThanOrEqual(width);
      }
      for (const section of ['crm', 'history', 'settings'] as const) {
        await app.show(section);
        await app.screenshot(`${section}-${width}`);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `page scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.show('newsletter');
    await app.screenshot('results-dark-375');
    await page.setViewportSize({ width: 1280, height: 900 });
    await app.screenshot('results-dark-1280');
  });
});
