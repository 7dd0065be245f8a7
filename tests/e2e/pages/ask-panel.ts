/** Page object for the Ask panel on the Newsletter view and its write-confirmation dialog. */
import type { Locator, Page } from '@playwright/test';

export class AskPanel {
  readonly panel: Locator;
  readonly instruction: Locator;
  readonly runButton: Locator;
  readonly cancelButton: Locator;
  readonly status: Locator;
  readonly answer: Locator;
  readonly trace: Locator;
  readonly dialog: Locator;
  readonly dialogSummary: Locator;
  readonly confirmButton: Locator;
  readonly declineButton: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('ask-panel');
    this.instruction = this.panel.getByTestId('ask-instruction');
    this.runButton = this.panel.getByTestId('ask-run');
    this.cancelButton = this.panel.getByTestId('ask-cancel');
    this.status = this.panel.getByTestId('ask-status');
    this.answer = this.panel.getByTestId('ask-answer');
    this.trace = this.panel.getByTestId('trace-panel');
    this.dialog = page.getByTestId('confirm-write');
    this.dialogSummary = page.getByTestId('confirm-write-summary');
    this.confirmButton = page.getByTestId('confirm-write-yes');
    this.declineButton = page.getByTestId('confirm-write-no');
  }

  async ask(instruction: string): Promise<void> {
    await this.instruction.fill(instruction);
    await this.runButton.click();
  }

  /** Waits until the run has ended (answered, undecided, failed or cancelled). */
  async waitForEnd(): Promise<void> {
    await this.page
      .locator(
        '[data-testid="ask-status"]:is([data-status="answered"], [data-status="undecided"], [data-status="failed"], [data-status="cancelled"])',
      )
      .waitFor();
  }

  /** The executed tool calls of the trace, each with its policy gate's verdict. */
  executedStep(tool: string): Locator {
    return this.trace.locator('[data-testid="trace-step"][data-kind="execute"]').filter({ hasText: `run ${tool}` });
  }
}
