/**
 * `npm run -s bench:batch [-- CORPUS_DIR]`: a week of newsletters at once, measured. For each size N (1,000 and
 * 5,000 messages) it writes a synthetic mbox to the temp folder (the corpus's real issues, each with its own
 * Message-ID, mixed with generated personal mail, mboxrd-escaped), then runs the batch in a fresh Node process
 * through the tools worker's own functions (`workers/batch-api.ts`: pre-scan, then run, the file streamed from disk
 * by `fs.openAsBlob` as a browser streams a dropped File) while the mentions merge into one table.
 *
 * Prints one JSON line per size:
 * {"messages":N,"newsletters":…,"skipped":…,"ms":…,"newsletters_per_s":…,"peak_heap_mb":…}
 * `ms` is the run (the pre-scan's time goes to stderr with the other details). `peak_heap_mb` is the largest V8
 * heap in use seen during the run, sampled every 20 ms and at every batch of results.
 *
 * `npm run -s bench:batch -- --chromium [CORPUS_DIR]`: the first results in the browser. It builds the production
 * app, serves it on 127.0.0.1, chooses a 200-message mbox from the same corpus in "Many newsletters at once" in
 * Chromium, clicks Run as soon as the senders show, and prints
 * {"messages":200,"newsletters":…,"senders_ms":…,"first_results_ms":…,"all_ms":…,"longest_task_ms":…}
 * all from the moment the file is chosen, two seconds after the page opened (as a person takes to find a file); `longest_task_ms` is the page's longest main-thread task meanwhile
 * (Long Tasks API: 0 when none passed 50 ms), the measure of a page that stays responsive.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createWriteStream, existsSync, openAsBlob, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StartupMerger } from '../src/core/batch/merge.ts';
import { skippedCount } from '../src/core/batch/skip-reasons.ts';
import { seededRandom } from '../src/core/engines/noisy.ts';
import { batchApi } from '../workers/batch-api.ts';
import { CHROMIUM_ARGS, HOW_TO_GET_CHROMIUM, findChromium } from './find-chromium.ts';

const SIZES = [1_000, 5_000];
/** Three messages in ten are personal mail. */
const PERSONAL_SLOTS = new Set([2, 5, 8]);

interface Issue {
  name: string;
  /** The message, CRLF or LF as the source had it, without a Message-ID. */
  message: Buffer;
  /** Whether it has its own Date header (an .eml); a wrapped file gets the mailbox's date for its slot. */
  dated: boolean;
}

/** An .eml's bytes with its Message-ID header (and folded lines) removed: each copy gets its own. */
function withoutMessageId(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, end < 0 ? text.length : end);
  const kept = head.replace(/^message-id:[^\n]*\n?(?:[ \t][^\n]*\n?)*/gim, '');
  return Buffer.from(kept + text.slice(head.length), 'latin1');
}

function wrapped(slug: string, title: string, type: string, body: Buffer): Buffer {
  const headers = [
    `From: ${slug} <issues@${slug}.bench.example>`,
    'To: reader@bench.example',
    `Subject: ${title}`,
    `List-Unsubscribe: <https://${slug}.bench.example/unsubscribe>`,
    `List-Id: ${slug} <${slug}.bench.example>`,
    'MIME-Version: 1.0',
    `Content-Type: ${type}; charset=utf-8`,
    'Content-Transfer-Encoding: 8bit',
    '',
    '',
  ].join('\n');
  return Buffer.concat([Buffer.from(headers, 'utf8'), body]);
}

function alternative(slug: string, title: string, html: Buffer, text: Buffer): Buffer {
  const boundary = `bench-${slug}`;
  const part = (type: string, body: Buffer) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\nContent-Type: ${type}; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n`),
      body,
      Buffer.from('\n'),
    ]);
  return Buffer.concat([
    wrapped(slug, title, `multipart/alternative; boundary="${boundary}"`, Buffer.alloc(0)),
    part('text/plain', text),
    part('text/html', html),
    Buffer.from(`--${boundary}--\n`),
  ]);
}

/** Every issue of the corpus as an email: .eml as they are, the rest wrapped the way their platform would send them. */
function corpusIssues(raw: string): Issue[] {
  const issues: Issue[] = [];
  const files = readdirSync(raw, { recursive: true, encoding: 'utf8' })
    .map((name) => join(raw, name))
    .filter((path) => statSync(path).isFile())
    .sort();
  const gmailStems = new Set(
    files.filter((path) => path.endsWith('.gmail-api.json')).map((path) => path.slice(0, -'.gmail-api.json'.length)),
  );
  for (const path of files) {
    const slug = basename(dirname(path));
    const name = basename(path);
    const title = `${slug}: ${name.replace(/\.[^.]+$/, '')}`;
    const stem = path.replace(/\.[^.]+$/, '');
    if (path.endsWith('.eml')) issues.push({ name, message: withoutMessageId(readFileSync(path)), dated: true });
    else if (path.endsWith('.gmail-api.json')) {
      // The Gmail API message's bodies, cut out beside it as .html and .txt, sent as the email they came from.
      const gmail = path.slice(0, -'.gmail-api.json'.length);
      if (!existsSync(`${gmail}.html`)) continue;
      const html = readFileSync(`${gmail}.html`);
      const message = existsSync(`${gmail}.txt`)
        ? alternative(slug, title, html, readFileSync(`${gmail}.txt`))
        : wrapped(slug, title, 'text/html', html);
      issues.push({ name, message, dated: false });
    } else if (gmailStems.has(stem)) continue;
    else if (/\.html?$/.test(path)) {
      issues.push({ name, message: wrapped(slug, title, 'text/html', readFileSync(path)), dated: false });
    } else if (/\.(md|txt)$/.test(path)) {
      issues.push({ name, message: wrapped(slug, title, 'text/plain', readFileSync(path)), dated: false });
    }
  }
  return issues;
}

const FIRST = ['Ada', 'Bo', 'Chiara', 'Dmitri', 'Esther', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas'];
const WORDS =
  'the meeting moved to thursday can you send the slides before lunch thanks for the intro let us catch up next week I attached the photos from the trip see you at dinner the kids loved it'.split(
    ' ',
  );

function personalMessage(index: number, next: () => number): Buffer {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const from = pick(FIRST);
  const sentences = Array.from({ length: 3 + Math.floor(next() * 6) }, () =>
    Array.from({ length: 6 + Math.floor(next() * 10) }, () => pick(WORDS)).join(' '),
  );
  const lines = [
    `From: ${from} <${from.toLowerCase()}@personal.bench.example>`,
    'To: reader@bench.example',
    `Subject: Re: ${pick(WORDS)} ${pick(WORDS)}`,
    `Date: Mon, 06 Jan 2025 ${String(index % 24).padStart(2, '0')}:00:00 +0000`,
    `Message-ID: <personal-${index}@bench.example>`,
    'MIME-Version: 1.0',
  ];
  // One in four carries a photo: the body of a skipped message must never be decoded, however large.
  if (next() < 0.25) {
    const photo = Buffer.alloc(30_000 + Math.floor(next() * 60_000));
    for (let i = 0; i < photo.length; i++) photo[i] = Math.floor(next() * 256);
    const encoded = photo.toString('base64').replace(/.{76}/g, '$&\n');
    lines.push(
      'Content-Type: multipart/mixed; boundary="p"',
      '',
      '--p',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Hi,\n${sentences.join('.\n')}.\nFrom ${from}`,
      '--p',
      'Content-Type: image/jpeg; name="photo.jpg"',
      'Content-Transfer-Encoding: base64',
      '',
      encoded,
      '--p--',
      '',
    );
  } else {
    lines.push('Content-Type: text/plain; charset=utf-8', '', `Hi,\n${sentences.join('.\n')}.\nFrom ${from}`, '');
  }
  return Buffer.from(lines.join('\n'), 'utf8');
}

/** mboxrd: a body line starting with `>*From ` gets one more `>`. */
function escaped(message: Buffer): Buffer {
  const text = message.toString('latin1');
  return Buffer.from(text.replace(/^(>*From )/gm, '>$1'), 'latin1');
}

async function writeMbox(path: string, messages: number, issues: Issue[]): Promise<void> {
  const out = createWriteStream(path);
  const next = seededRandom(17);
  let issue = 0;
  const failed = new Promise<never>((_, fail) => out.once('error', fail));
  const write = (chunk: Buffer | string) =>
    out.write(chunk) ? Promise.resolve() : Promise.race([once(out, 'drain').then(() => undefined), failed]);
  for (let index = 0; index < messages; index++) {
    const date = new Date(Date.UTC(2025, 0, 1) + index * 3_600_000);
    await write(`From bench@bench.example ${date.toUTCString().replace(',', '')}\n`);
    let message: Buffer;
    if (PERSONAL_SLOTS.has(index % 10)) message = personalMessage(index, next);
    else {
      const source = issues[issue++ % issues.length]!;
      const header = `Message-ID: <issue-${index}@bench.example>\n${source.dated ? '' : `Date: ${date.toUTCString()}\n`}`;
      message = Buffer.concat([Buffer.from(header), source.message]);
    }
    await write(escaped(message));
    await write(message.at(-1) === 10 ? '\n' : '\n\n');
  }
  await new Promise<void>((done, fail) => out.end(() => done()).once('error', fail));
}

/** The measured part, in its own process so each size starts from a fresh heap. */
async function measure(path: string, messages: number): Promise<void> {
  const blob = await openAsBlob(path);
  const files = [{ name: basename(path), blob }];
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 20);
  const prescanStarted = performance.now();
  const scan = await batchApi.prescanBatch(files);
  const prescanMs = performance.now() - prescanStarted;
  const merger = new StartupMerger();
  const started = performance.now();
  const summary = await batchApi.runBatch(files, { expectedNewsletters: scan.newsletters }, (batch) => {
    for (const event of batch.events) if (event.type === 'newsletter') merger.addAll(event.result.mentions);
    sample();
  });
  const ms = performance.now() - started;
  clearInterval(timer);
  sample();
  const table = merger.table();
  // What stays alive once garbage is collected: the reading path holds one message at a time, so this is mostly
  // the merged table (every mention's sentence is kept), which grows with the newsletters read, as it should.
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const liveMb = process.memoryUsage().heapUsed / 1_048_576;
  const sources = table.reduce((sum, startup) => sum + startup.sources.length, 0);
  process.stderr.write(
    `N=${messages}: ${(blob.size / 1_048_576).toFixed(0)} MB mbox, pre-scan ${Math.round(prescanMs)} ms (${scan.senders.length} senders), ` +
      `${summary.processed} newsletters read, ${summary.failed} failed, ${table.length} startups in the merged table ` +
      `(${sources} mentions with their sentences), live heap after the run ${liveMb.toFixed(1)} MB; ` +
      `skipped: ${summary.skippedSentences.join(' ')}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      messages,
      newsletters: summary.processed,
      skipped: skippedCount(summary.skipped),
      ms: Math.round(ms),
      newsletters_per_s: Math.round((summary.processed / (ms / 1000)) * 10) / 10,
      peak_heap_mb: Math.round((peak / 1_048_576) * 10) / 10,
    })}\n`,
  );
}

const CHROMIUM_MESSAGES = 200;

/** The production build in Chromium: from choosing the mbox to the first rows of the merged table. */
async function measureInChromium(issues: Issue[]): Promise<void> {
  const found = findChromium();
  if (!found) throw new Error(HOW_TO_GET_CHROMIUM);
  const { chromium } = await import('@playwright/test');
  const { build } = await import('vite');
  const { default: sirv } = await import('sirv');
  const out = join(tmpdir(), `sift-bench-batch-chromium-${process.pid}`);
  const dist = join(out, 'dist');
  const mboxPath = join(out, 'Inbox.mbox');
  process.stderr.write(`Building the app into ${dist}…\n`);
  await build({ mode: 'production', logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  await writeMbox(mboxPath, CHROMIUM_MESSAGES, issues);
  const app = sirv(dist, { dev: false, single: false });
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (!url.startsWith('/sift/')) return void response.writeHead(404).end();
    request.url = url.slice('/sift'.length);
    app(request, response, () => void response.writeHead(404).end());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: found.path, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/sift/`);
    await page.getByTestId('batch-files-input').waitFor({ state: 'attached' });
    await page.evaluate(() => {
      const holder = globalThis as { longestTask?: number };
      holder.longestTask = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) holder.longestTask = Math.max(holder.longestTask ?? 0, entry.duration);
      }).observe({ type: 'longtask' });
    });
    // A person takes a moment to find the file: the view has warmed the tools worker by then.
    await page.waitForTimeout(2000);
    const chosen = performance.now();
    await page.getByTestId('batch-files-input').setInputFiles(mboxPath);
    await page.getByTestId('batch-run').waitFor();
    const sendersMs = performance.now() - chosen;
    await page.getByTestId('batch-run').click();
    await page.getByTestId('batch-row').first().waitFor();
    const firstMs = performance.now() - chosen;
    await page.locator('[data-testid="batch-status"]', { hasText: 'Done' }).waitFor({ timeout: 600_000 });
    const allMs = performance.now() - chosen;
    const progress = await page.getByTestId('batch-progress').innerText();
    const longest = await page.evaluate(() => (globalThis as { longestTask?: number }).longestTask ?? 0);
    process.stderr.write(`Chromium ${found.path}: ${progress}\n`);
    process.stdout.write(
      `${JSON.stringify({
        messages: CHROMIUM_MESSAGES,
        newsletters: Number(/([\d,]+) \/ /.exec(progress)?.[1]?.replace(/,/g, '') ?? NaN),
        senders_ms: Math.round(sendersMs),
        first_results_ms: Math.round(firstMs),
        all_ms: Math.round(allMs),
        longest_task_ms: Math.round(longest),
      })}\n`,
    );
  } finally {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [mode, path, size] = args;
  if (mode === '--measure' && path && size) {
    await measure(path, Number(size));
    return;
  }
  const inChromium = args.includes('--chromium');
  const corpusArg = args.find((arg) => !arg.startsWith('--'));
  const root = resolve(corpusArg ?? '../shared/corpus');
  const raw = existsSync(join(root, 'raw')) ? join(root, 'raw') : root;
  if (!existsSync(raw)) {
    process.stderr.write(
      `bench:batch: no corpus at ${root} (../shared/corpus is needed to build the mailbox); skipped.\n`,
    );
    process.stdout.write(`${JSON.stringify({ skipped: `no corpus at ${root}` })}\n`);
    return;
  }
  const issues = corpusIssues(raw);
  if (inChromium) {
    await measureInChromium(issues);
    return;
  }
  for (const messages of SIZES) {
    const mboxPath = join(tmpdir(), `sift-bench-batch-${messages}-${process.pid}.mbox`);
    try {
      await writeMbox(mboxPath, messages, issues);
      await new Promise<void>((done, fail) => {
        const child = fork(fileURLToPath(import.meta.url), ['--measure', mboxPath, String(messages)], {
          stdio: 'inherit',
          execArgv: [...process.execArgv, '--expose-gc'],
        });
        child.once('error', fail);
        child.once('exit', (code) =>
          code === 0 ? done() : fail(new Error(`the N=${messages} run exited with ${code}`)),
        );
      });
    } finally {
      rmSync(mboxPath, { force: true });
    }
  }
}

await main();
