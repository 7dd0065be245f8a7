import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { expect, test } from './fixtures.ts';
import { SiftApp } from './pages/sift-app.ts';
import { MAYBE_NEWSLETTER, UNSURE_PLAIN } from './unsure-newsletters.ts';

test.describe('the Maybe group (real Chromium, tools-only)', () => {
  test('uncertain links turned down are listed collapsed with their reasons; promote moves one into the table and the export marks it; dismiss drops one', async ({
    page,
    consoleWatch,
  }) => {
    const app = new SiftApp(page);
    await app.open();
    await app.pasteHtml(MAYBE_NEWSLETTER, UNSURE_PLAIN);
    await app.run();
    await expect(app.progress).toHaveAttribute('data-status', 'done');
    const before = (await app.statuses()).map(([name]) => name);
    expect(before).toEqual(expect.arrayContaining(['Quillmark', 'Tidewater Robotics', 'Pebblecart']));
    expect(before).not.toContain('Quillmark Labs');
    expect(before).not.toContain('Harborly');

    const group = page.getByTestId('maybe-group');
    await expect(page.getByTestId('maybe-summary')).toHaveText('Maybe: 2 uncertain links not counted as startups');
    // Collapsed until asked for.
    await expect(group).not.toHaveAttribute('open');
    await expect(page.getByTestId('maybe-row').first()).toBeHidden();
    await page.getByTestId('maybe-summary').click();
    const maybeRows = page.getByTestId('maybe-row');
    await expect(maybeRows).toHaveCount(2);
    const lookAlike = maybeRows.filter({ hasText: 'Quillmark Labs' });
    await expect(lookAlike.getByTestId('maybe-reason')).toContainText(/Maybe a startup \(0\.\d\d\)/);
    // The sentence it appeared in, to judge it by.
    await expect(lookAlike.getByTestId('maybe-sentence')).toContainText('shared a new demo');
    // The flag shows both forms: what the reader sees and what the browser resolves.
    await expect(lookAlike.getByTestId('row-lookalike')).toContainText('quіllmark.dev');
    await expect(lookAlike.getByTestId('row-lookalike')).toContainText('xn--qullmark-uhh.dev');

    // Two ways in, told apart by their labels: this table only, or taught for later newsletters too.
    await expect(lookAlike.getByTestId('maybe-promote')).toHaveText('Count it');
    await expect(lookAlike.getByTestId('maybe-is-startup')).toHaveText('Is a startup');
    // The difference is written out where a touch screen shows it, not only in the buttons' titles.
    await expect(page.getByTestId('maybe-hint')).toContainText('Count it moves a link into this table.');
    await expect(page.getByTestId('maybe-hint')).toContainText('remembers it for later newsletters');

    await lookAlike.getByTestId('maybe-promote').click();
    const promoted = app.row('Quillmark Labs');
    await expect(promoted).toHaveCount(1);
    await expect(promoted.getByTestId('row-promoted')).toBeVisible();
    await expect(promoted.getByTestId('row-lookalike')).toContainText('xn--qullmark-uhh.dev');
    await expect(promoted).toContainText('by you (promoted from Maybe)');
    await expect(page.getByTestId('maybe-summary')).toHaveText('Maybe: 1 uncertain link not counted as startups');

    await maybeRows.filter({ hasText: 'Harborly' }).getByTestId('maybe-dismiss').click();
    await expect(group).toHaveCount(0);
    await expect(app.row('Harborly')).toHaveCount(0);

    const download = await app.exportCsv();
    const csv = Papa.parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { header: true });
    expect(csv.errors).toEqual([]);
    const marks = Object.fromEntries(csv.data.map((record) => [record.company, record.promoted]));
    expect(marks).toMatchObject({ 'Quillmark Labs': 'yes', Quillmark: '', 'Tidewater Robotics': '' });
    expect(consoleWatch.errors).toEqual([]);
  });
});
