import { test as base, expect, type Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions so a test can assert the page stayed clean. */
export class ConsoleWatch {
  readonly errors: string[] = [];
  constructor(page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
    });
    page.on('pageerror', (error) => this.errors.push(`uncaught: ${error.message}`));
  }
}

export const test = base.extend<{ consoleWatch: ConsoleWatch }>({
  consoleWatch: async ({ page }, use) => {
    await use(new ConsoleWatch(page));
  },
});

export { expect };
