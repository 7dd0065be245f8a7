/** Page object for the CRM section: the company list, the add/edit form and the CSV import. */
import type { Locator, Page } from '@playwright/test';

export class CrmPanel {
  readonly panel: Locator;
  readonly count: Locator;
  readonly rows: Locator;
  readonly fileInput: Locator;
  readonly importSection: Locator;
  readonly progress: Locator;
  readonly report: Locator;
  readonly importError: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('crm-panel');
    this.count = page.getByTestId('crm-count');
    this.rows = page.getByTestId('crm-row');
    this.fileInput = page.getByTestId('crm-file');
    this.importSection = page.getByTestId('csv-import');
    this.progress = page.getByTestId('import-progress');
    this.report = page.getByTestId('import-report');
    this.importError = page.getByTestId('import-error');
  }

  async open(): Promise<void> {
    await this.page.goto('./');
    await this.page.getByRole('heading', { name: 'Sift', level: 1 }).waitFor();
    await this.page.getByTestId('tab-crm').click();
    await this.panel.waitFor();
  }

  /** Chooses a file and waits for the mapping preview (or the file's error). */
  async chooseCsv(name: string, content: string | Buffer): Promise<void> {
    await this.fileInput.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
    await this.page.locator('[data-testid="import-format"], [data-testid="import-error"]').first().waitFor();
  }

  mappingFor(field: string): Locator {
    return this.importSection.locator(`select[data-field="${field}"]`);
  }

  async importAs(mode: 'merge' | 'replace'): Promise<void> {
    await this.importSection.getByRole('radio', { name: mode === 'merge' ? /Add to it/ : /Replace it/ }).check();
    await this.importSection.getByRole('button', { name: 'Import', exact: true }).click();
  }

  async search(text: string): Promise<void> {
    await this.page.getByLabel('Search companies').fill(text);
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  async names(): Promise<string[]> {
    return (await this.rows.getByRole('rowheader').allTextContents()).map((text) => text.trim());
  }

  /** Clicks Export and returns the downloaded CSV's text. */
  async exportCsv(): Promise<string> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Keys in the CRM's IndexedDB store, read straight from the browser. */
  storedKeys(): Promise<string[]> {
    return this.page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const request = indexedDB.open('sift-crm');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const db = request.result;
            const keys = db.transaction('companies-v1').objectStore('companies-v1').getAllKeys();
            keys.onsuccess = () => {
              resolve(keys.result.map(String));
              db.close();
            };
            keys.onerror = () => reject(keys.error);
          };
        }),
    );
  }
}
