/** Page object for Sift's main screens: the sections, the newsletter job, the results table and history. */
import type { Download, Locator, Page } from '@playwright/test';

export type Section = 'newsletter' | 'crm' | 'history' | 'settings';

export class SiftApp {
  readonly newsletterText: Locator;
  readonly runButton: Locator;
  readonly results: Locator;
  readonly rows: Locator;
  readonly progress: Locator;

  constructor(readonly page: Page) {
    this.newsletterText = page.getByTestId('newsletter-text');
    this.runButton = page.getByTestId('run');
    this.results = page.getByTestId('results');
    this.rows = page.getByTestId('result-row');
    this.progress = page.getByTestId('progress');
  }

  async open(): Promise<void> {
    await this.page.goto('./');
    await this.page.getByRole('heading', { name: 'Sift', level: 1 }).waitFor();
  }

  async show(section: Section): Promise<void> {
    await this.page.getByTestId(`tab-${section}`).click();
  }

  async trySample(): Promise<void> {
    await this.page.getByTestId('try-sample').click();
  }

  /** Pastes a newsletter as a mail client's copy does: HTML with its plain-text twin. */
  async pasteHtml(html: string, plain: string): Promise<void> {
    await this.page.getByTestId('newsletter-text').focus();
    await this.page.evaluate(
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

  async run(): Promise<void> {
    await this.runButton.click();
    await this.waitForRunEnd();
  }

  async waitForRunEnd(): Promise<void> {
    await this.page.locator('[data-testid="progress"]:not([data-status="running"])').waitFor();
  }

  /** The table as [company, status label] pairs, in the order shown. */
  async statuses(): Promise<[string, string][]> {
    const rows = await this.rows.all();
    return Promise.all(
      rows.map(async (row) => {
        const name = (await row.locator('.company').textContent())?.trim() ?? '';
        const status = (await row.getByTestId('row-status').textContent())?.trim() ?? '';
        return [name, status] as [string, string];
      }),
    );
  }

  row(company: string): Locator {
    return this.rows.filter({ has: this.page.locator('.company', { hasText: company }) });
  }

  async exportCsv(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('export-csv').click();
    return download;
  }

  /** Screenshots go to test-results/screenshots/ (gitignored) for a person to look at. */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
  }
}
