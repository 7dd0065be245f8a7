import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { expect, test } from './fixtures.ts';
import { gmailRawJson, mbox } from '../../src/core/batch/test-messages.ts';
import { mixedMbox, newsletterMessage, personalMessage, unsureMessage } from './batch-mail.ts';
import { SAMPLE_NEWSLETTER_HTML } from '../../src/ui/job/sample-newsletter.ts';

/** Written to disk, so choosing the file twice gives the same file (same date): "continue" recognises it. */
function writeFixture(name: string, content: string | Uint8Array): string {
  const path = test.info().outputPath(name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

async function openBatch(page: Page) {
  await page.goto('./');
  await page.getByRole('heading', { name: 'Sift', level: 1 }).waitFor();
  await expect(page.getByTestId('batch-drop')).toBeVisible();
}

/**
 * Test-only (src/ui/engine/test-engine.ts): a scripted engine named as a Qwen3 model, so its answers open with the
 * empty think block; it judges Kelpstack a startup, and links it is not told about "not a startup".
 */
async function useKelpstackJudge(page: Page) {
  await page.addInitScript(() => {
    (globalThis as { __SIFT_TEST_ENGINE__?: unknown }).__SIFT_TEST_ENGINE__ = {
      judgeByDomain: { 'kelpstack.dev': { startup: true, name: 'Kelpstack' } },
      info: { id: 'test:qwen3-like', model: 'Qwen3-0.6B-q4f16_1-MLC' },
    };
  });
}

const row = (page: Page, key: string) => page.locator(`[data-testid="batch-row"][data-key="${key}"]`);

test('an mbox of newsletters and personal mail: senders with counts, one unticked, then one merged table with mention counts and exports', async ({
  page,
  consoleWatch,
}) => {
  const mail = mixedMbox(64); // 48 newsletters from 3 senders, 16 personal
  const path = writeFixture('Inbox.mbox', mail.text);
  await openBatch(page);
  await page.getByTestId('batch-files-input').setInputFiles(path);

  const senders = page.getByTestId('batch-sender');
  await expect(senders).toHaveCount(3);
  await expect(page.getByTestId('batch-scan-summary')).toContainText(
    '64 messages read by their headers: 48 newsletters from 3 senders',
  );
  await expect(page.getByTestId('batch-scan-skipped')).toContainText('16 messages were personal or one-to-one mail');
  for (const count of await page.getByTestId('batch-sender-count').allTextContents()) expect(count).toBe('16');

  await senders.filter({ hasText: 'Seed Digest' }).getByTestId('batch-sender-tick').uncheck();
  await expect(page.getByTestId('batch-run')).toHaveText('Find startups in 32 newsletters');
  await page.getByTestId('batch-run').click();

  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  await expect(page.getByTestId('batch-progress')).toContainText('32 / 32 newsletters');
  await expect(page.getByTestId('batch-skipped').filter({ hasText: '16 messages were personal' })).toHaveCount(1);
  await expect(page.getByTestId('batch-skipped').filter({ hasText: 'unticked' })).toHaveCount(1);
  // Quillmate is in every newsletter read; the others in turn.
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-mentions')).toHaveText('32');
  await expect(page.getByTestId('batch-row').first()).toHaveAttribute('data-key', 'domain:quillmate.io');
  const counts = (await page.getByTestId('batch-row-mentions').allTextContents()).map(Number);
  expect(counts).toHaveLength(6);
  expect(counts.slice(1).reduce((a, b) => a + b, 0)).toBe(32);
  await expect(row(page, 'domain:quillmate.io')).toContainText('2025-01-01');
  await row(page, 'domain:quillmate.io').getByText('2 newsletters').click();
  await expect(row(page, 'domain:quillmate.io')).toContainText('raised $2M in a seed round');
  await expect(page.getByTestId('batch-newsletter')).toHaveCount(32);

  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('batch-export-csv').click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    'name,website,link,domain,mentions,newsletters,first_seen,last_seen,new,sponsored,sentence,sources',
  );
  expect(csv).toContain(
    'Quillmate,https://quillmate.io/,https://quillmate.io/,quillmate.io,32,2,2025-01-01,2025-01-28,yes,no,',
  );

  const digestDownload = page.waitForEvent('download');
  await page.getByTestId('batch-export-md').click();
  const digest = readFileSync((await (await digestDownload).path())!, 'utf8');
  expect(digest).toMatch(/^# This week: 6 new startups/);

  // The CRM: every row is checked, and nothing is written without a confirmation.
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-crm')).toContainText('New');
  // On a phone each startup is a card: its mentions are on screen, and Add keeps its word on one line (in the
  // table, the mentions sat off to the right and Add stood as A, d, d).
  await page.setViewportSize({ width: 375, height: 812 });
  const phoneAdd = await row(page, 'domain:quillmate.io').getByTestId('batch-row-add').boundingBox();
  expect(phoneAdd!.width, 'Add is wider than tall at 375 px').toBeGreaterThan(phoneAdd!.height);
  const phoneMentions = await row(page, 'domain:quillmate.io').getByTestId('batch-row-mentions').boundingBox();
  expect(phoneMentions!.x + phoneMentions!.width, 'the mentions are off screen at 375 px').toBeLessThanOrEqual(375);
  await page.setViewportSize({ width: 1280, height: 720 });
  await row(page, 'domain:quillmate.io').getByTestId('batch-row-add').click();
  const dialog = page.getByTestId('batch-confirm-add');
  await expect(dialog).toContainText('Add Quillmate to your local CRM?');
  await expect(page.getByTestId('batch-confirm-add-no')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-crm')).toContainText('New');
  await row(page, 'domain:quillmate.io').getByTestId('batch-row-add').click();
  await page.getByTestId('batch-confirm-add-yes').click();
  await expect(page.getByTestId('batch-crm-message')).toHaveText('Quillmate was added to your local CRM.');
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-crm')).toContainText('In CRM');
  await expect(page.getByTestId('batch-add-all')).toHaveText('Add 5 new startups to your local CRM…');
  await page.getByTestId('batch-add-all').click();
  await expect(page.getByTestId('batch-confirm-list').locator('li')).toHaveCount(5);
  await page.getByTestId('batch-confirm-add-yes').click();
  await expect(page.getByTestId('batch-crm-message')).toHaveText('5 startups were added to your local CRM.');
  await expect(page.getByTestId('batch-row-crm').filter({ hasText: 'In CRM' })).toHaveCount(6);
  await page.getByTestId('tab-crm').click();
  await expect(page.getByTestId('crm-view')).toContainText('Brightkiln');
  await page.getByTestId('tab-newsletter').click();

  // A second batch of the same mail: nothing is new since the last batch, and all of it is in the CRM now.
  await page.getByTestId('batch-files-input').setInputFiles(path);
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  await page.getByTestId('batch-new-since').selectOption('last-batch');
  await expect(page.getByTestId('batch-table-count')).toContainText('6 · 0 new');
  await expect(page.getByTestId('batch-row-crm').filter({ hasText: 'In CRM' })).toHaveCount(6);
  expect(consoleWatch.errors).toEqual([]);
});

test('cancel mid-way keeps what was read; reopening offers to continue, and the rest is read once', async ({
  page,
  consoleWatch,
}) => {
  test.slow();
  const mail = mixedMbox(2400); // 1,800 newsletters: long enough to cancel in the middle
  const path = writeFixture('Big.mbox', mail.text);
  await openBatch(page);
  await page.getByTestId('batch-files-input').setInputFiles(path);
  await expect(page.getByTestId('batch-run')).toHaveText('Find startups in 1,800 newsletters');
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-row').first()).toBeVisible();
  await page.getByTestId('batch-cancel').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Stopped before the end');
  const stoppedAt = Number(await row(page, 'domain:quillmate.io').getByTestId('batch-row-mentions').textContent());
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(1800);

  // A new visit: the table is back, and the unfinished batch is offered.
  await openBatch(page);
  await expect(page.getByTestId('batch-unfinished')).toContainText(
    `stopped after ${stoppedAt.toLocaleString('en-US')}`,
  );
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-mentions')).toHaveText(String(stoppedAt));
  // History lists it as partial and offers to continue: the batch view asks for its files again.
  await page.getByTestId('tab-history').click();
  const entry = page.getByTestId('history-batch').filter({ hasText: 'Big.mbox' });
  await expect(entry).toHaveAttribute('data-status', 'cancelled');
  await expect(entry).toContainText('partial: stopped before the end');
  await entry.getByTestId('history-continue').click();
  await expect(page.getByTestId('tab-newsletter')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('batch-choose-again')).toBeFocused();
  await page.getByTestId('batch-files-input').setInputFiles(path);
  await expect(page.getByTestId('batch-unfinished')).toContainText('Continue to read only the rest');
  await page.getByTestId('batch-continue').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done', { timeout: 90_000 });
  await expect(page.getByTestId('batch-progress')).toContainText('1,800 / 1,800 newsletters');
  await expect(page.getByTestId('batch-progress')).toContainText(
    `${stoppedAt.toLocaleString('en-US')} from the earlier run`,
  );
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-mentions')).toHaveText('1800');
  await expect(page.getByTestId('batch-unfinished')).toHaveCount(0);
  expect(consoleWatch.errors).toEqual([]);
});

test('several .eml files, a .zip and a folder; a file that is not an mbox is a sentence and the rest is read', async ({
  page,
  consoleWatch,
}) => {
  const emls = [0, 1, 2].map((i) => writeFixture(`loose/issue-${i}.eml`, newsletterMessage(i)));
  const zip = zipSync({
    'export/issue-3.eml': strToU8(newsletterMessage(3)),
    'export/issue-4.eml': strToU8(newsletterMessage(4)),
    'export/lunch.eml': strToU8(personalMessage(0)),
    '../escape.eml': strToU8(newsletterMessage(5)),
  });
  const zipPath = writeFixture('loose/export.zip', zip);
  const notMbox = writeFixture('loose/notes.mbox', 'Shopping list\nmilk\n');
  await openBatch(page);
  await page.getByTestId('batch-files-input').setInputFiles([...emls, zipPath, notMbox]);
  await expect(page.getByTestId('batch-scan-summary')).toContainText('5 newsletters');
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  await expect(page.getByTestId('batch-progress')).toContainText('5 / 5 newsletters');
  await expect(page.getByTestId('batch-problems')).toContainText(
    'notes.mbox is not an mbox: an mbox starts with a "From " line followed by mail headers, and this file does not.',
  );
  await expect(page.getByTestId('batch-skipped').filter({ hasText: 'climbs out of the archive' })).toHaveCount(1);
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-mentions')).toHaveText('5');

  // Dropped files (the drop zone, not the chooser): read the same way.
  const issues = [6, 7].map((i) => ({ name: `dropped-${i}.eml`, text: newsletterMessage(i) }));
  const dropped = await page.evaluateHandle((files) => {
    const data = new DataTransfer();
    for (const file of files) data.items.add(new File([file.text], file.name, { type: 'message/rfc822' }));
    return data;
  }, issues);
  await page.getByTestId('batch-drop').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByTestId('batch-scan-summary')).toContainText('2 messages read by their headers: 2 newsletters');
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-mentions')).toHaveText('2');

  // A folder (Apple Mail's export is one): every file inside, with its path.
  const folder = test.info().outputPath('Newsletters.mbox');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'mbox'), mixedMbox(8).text);
  writeFileSync(join(folder, 'Info.plist'), '<?xml version="1.0"?><plist></plist>');
  await page.getByTestId('batch-folder-input').setInputFiles(folder);
  await expect(page.getByTestId('batch-scan-summary')).toContainText('6 newsletters');
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-mentions')).toHaveText('6');
  expect(consoleWatch.errors).toEqual([]);
});

test('a saved web page among the files: dated by the date it states, its sponsor marked as paid placement in the table and the CSV', async ({
  page,
  consoleWatch,
}) => {
  // A saved post states when it was published; the file itself was written today.
  const published = '<time datetime="2025-03-04T08:00:00Z">4 March 2025</time>';
  const html = writeFixture(
    'pages/frontier-42.html',
    SAMPLE_NEWSLETTER_HTML.replace(/<body([^>]*)>/, `<body$1>${published}`),
  );
  await openBatch(page);
  await page.getByTestId('batch-files-input').setInputFiles([html]);
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  // Brightdesk ("Sponsored by Brightdesk") is the one paid placement; the editorial startups are not marked.
  await expect(row(page, 'domain:brightdesk.example').getByTestId('batch-row-sponsored')).toHaveText(
    'sponsor in 1 issue',
  );
  await expect(page.getByTestId('batch-row-sponsored')).toHaveCount(1);
  await expect(row(page, 'domain:brightdesk.example').locator('td[data-label="First seen"]')).toHaveText('2025-03-04');
  await page.getByTestId('batch-queue').locator('summary').click();
  await expect(page.getByTestId('batch-newsletter-date')).toHaveText('2025-03-04');
  const download = page.waitForEvent('download');
  await page.getByTestId('batch-export-csv').click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv.split('\r\n')[0]).toContain(',new,sponsored,');
  expect(csv.split('\r\n').find((line) => line.startsWith('Brightdesk,'))).toContain(',yes,yes,');
  expect(consoleWatch.errors).toEqual([]);
});

test('a folder of Gmail API exports (.json): newsletters read, personal mail screened out by its headers, other JSON left out', async ({
  page,
  consoleWatch,
}) => {
  const folder = test.info().outputPath('gmail-api');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'issue-1.json'), gmailRawJson(newsletterMessage(1)));
  writeFileSync(join(folder, 'issue-2.json'), gmailRawJson(newsletterMessage(2)));
  writeFileSync(join(folder, 'lunch.json'), gmailRawJson(personalMessage(1)));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'export-script', version: '1.0.0' }));
  await openBatch(page);
  await page.getByTestId('batch-folder-input').setInputFiles(folder);
  await expect(page.getByTestId('batch-scan-summary')).toContainText('3 messages read by their headers: 2 newsletters');
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  await expect(row(page, 'domain:quillmate.io').getByTestId('batch-row-mentions')).toHaveText('2');
  await expect(page.getByTestId('batch-skipped').filter({ hasText: '1 .json file held no email message' })).toHaveCount(
    1,
  );
  await expect(page.getByTestId('batch-skipped').filter({ hasText: 'personal or one-to-one mail' })).toHaveCount(1);
  expect(consoleWatch.errors).toEqual([]);
});

test('the model judges the batch’s unsure links: a rejected one leaves the table, a judged one joins it, the verdicts survive a reload, and nothing leaves the device', async ({
  page,
  consoleWatch,
}) => {
  await useKelpstackJudge(page);
  const path = writeFixture('Unsure.mbox', mbox([0, 1, 2].map(unsureMessage).concat(personalMessage(0))));
  await openBatch(page);
  await page.getByTestId('batch-files-input').setInputFiles(path);
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  // The rules' own call until the model judges: Nimbusfold in, Kelpstack out.
  await expect(row(page, 'domain:nimbusfold.com')).toBeVisible();
  await expect(row(page, 'domain:kelpstack.dev')).toHaveCount(0);
  await expect(page.getByTestId('batch-budget')).toContainText('The rules were unsure about 6 links');

  const newsletters = page.getByTestId('batch-newsletter');
  await expect(newsletters.getByTestId('batch-newsletter-judged')).toHaveText(
    Array(3).fill('2 unsure links counted by the rules until a model judges'),
  );

  const start = page.getByTestId('batch-judge-start');
  await expect(start).toHaveText('Judge 6 uncertain links with Qwen3-0.6B-q4f16_1-MLC');
  await start.click();
  await expect(page.getByTestId('batch-judge-message')).toHaveText(
    'Qwen3-0.6B-q4f16_1-MLC judged 6 links in 3 newsletters.',
  );
  // Each newsletter's row counts what the model decided: Quillmate and Kelpstack, no longer Nimbusfold.
  await expect(newsletters.getByTestId('batch-newsletter-startups')).toHaveText(Array(3).fill('2 startups'));
  await expect(newsletters.getByTestId('batch-newsletter-judged')).toHaveText(
    Array(3).fill('the model judged its 2 unsure links'),
  );
  await expect(row(page, 'domain:nimbusfold.com')).toHaveCount(0);
  await expect(row(page, 'domain:kelpstack.dev').getByTestId('batch-row-mentions')).toHaveText('3');
  await expect(row(page, 'domain:kelpstack.dev').getByTestId('batch-row-judged')).toBeVisible();
  await expect(page.getByTestId('batch-judge-start')).toHaveCount(0);
  // Where the calls ran: all on this device, none off it.
  const summary = page.getByTestId('run-summary');
  await expect(summary.getByTestId('summary-small-device')).not.toHaveAttribute('data-calls', '0');
  await expect(summary.getByTestId('summary-small-off-device')).toHaveAttribute('data-calls', '0');
  await expect(summary.getByTestId('summary-large-off-device')).toHaveAttribute('data-calls', '0');
  const calls = await summary.getByTestId('summary-small-device').getAttribute('data-calls');

  // A new visit: the judged table and its calls are back, with nothing left to judge.
  await openBatch(page);
  await expect(row(page, 'domain:kelpstack.dev').getByTestId('batch-row-mentions')).toHaveText('3');
  await expect(row(page, 'domain:nimbusfold.com')).toHaveCount(0);
  await expect(page.getByTestId('run-summary').getByTestId('summary-small-device')).toHaveAttribute(
    'data-calls',
    calls!,
  );
  await expect(page.getByTestId('batch-judge-start')).toHaveCount(0);
  await expect(page.getByTestId('egress-requests')).toHaveText('0');
  await expect(page.getByTestId('egress-bytes')).toHaveText('0 B');
  expect(consoleWatch.errors).toEqual([]);
});

test('without a model the budget line says how to load one, and the table keeps the rules’ call', async ({
  page,
  consoleWatch,
}) => {
  const path = writeFixture('Unsure.mbox', mbox([0, 1].map(unsureMessage)));
  await openBatch(page);
  await page.getByTestId('batch-files-input').setInputFiles(path);
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  await expect(page.getByTestId('batch-judge-start')).toHaveCount(0);
  await expect(page.getByTestId('batch-judge-no-model')).toContainText('To have a model judge them:');
  await expect(page.getByTestId('batch-judge-no-model')).toContainText('Settings');
  await expect(row(page, 'domain:nimbusfold.com')).toBeVisible();
  expect(consoleWatch.errors).toEqual([]);
});

test('batches in History: run two, see both with what they found, reopen the older one into the batch view, delete it', async ({
  page,
  consoleWatch,
}) => {
  await useKelpstackJudge(page);
  const unsure = writeFixture('Unsure.mbox', mbox([0, 1, 2].map(unsureMessage).concat(personalMessage(0))));
  const weekly = writeFixture('Weekly.mbox', mixedMbox(8).text); // 6 newsletters, 2 personal
  await openBatch(page);
  await page.getByTestId('batch-files-input').setInputFiles(unsure);
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  await page.getByTestId('batch-judge-start').click();
  await expect(page.getByTestId('batch-judge-message')).toContainText('judged 6 links');

  const history = page.getByTestId('history-batch');
  const older = history.filter({ hasText: 'Unsure.mbox' });
  await page.getByTestId('tab-history').click();
  await expect(older).toContainText('(complete)');
  await expect(older.getByTestId('history-batch-line')).toContainText(
    '3 newsletters · 2 startups, 2 new · judged by a model',
  );
  await expect(older.getByTestId('history-continue')).toHaveCount(0);

  await page.getByTestId('tab-newsletter').click();
  await page.getByTestId('batch-files-input').setInputFiles(weekly);
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-status')).toHaveText('Done');
  await expect(row(page, 'domain:kelpstack.dev')).toHaveCount(0);

  await page.getByTestId('tab-history').click();
  await expect(history).toHaveCount(2);
  // Newest first.
  await expect(history.first()).toContainText('Weekly.mbox');
  await expect(history.first().getByTestId('history-batch-line')).toContainText(
    '6 newsletters · 6 startups, 6 new · nothing for a model to judge',
  );

  // Reopened, the older batch is the batch view's: its table, its judged rows, its newsletters.
  await older.getByTestId('history-open').click();
  await expect(page.getByTestId('tab-newsletter')).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, 'domain:kelpstack.dev').getByTestId('batch-row-mentions')).toHaveText('3');
  await expect(row(page, 'domain:kelpstack.dev').getByTestId('batch-row-judged')).toBeVisible();
  await expect(row(page, 'domain:ferrowave.io')).toHaveCount(0);
  await expect(page.getByTestId('batch-newsletter')).toHaveCount(3);
  await expect(page.getByTestId('run-summary')).toBeVisible();

  // Deleted from History, it leaves the list, the batch view, and this browser.
  await page.getByTestId('tab-history').click();
  await older.getByTestId('history-delete').click();
  await older.getByTestId('history-delete-yes').click();
  await expect(older).toHaveCount(0);
  await page.getByTestId('tab-newsletter').click();
  await expect(page.getByTestId('batch-row')).toHaveCount(0);
  await page.reload();
  await page.getByTestId('tab-history').click();
  await expect(history).toHaveCount(1);
  await expect(history.first()).toContainText('Weekly.mbox');
  expect(consoleWatch.errors).toEqual([]);
});
