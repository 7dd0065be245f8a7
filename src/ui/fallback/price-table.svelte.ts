import { loadSetting, saveSetting } from '../../storage/settings.ts';
import { DEFAULT_PRICES, parsePrices, PRICES_SETTING_KEY, type PriceRow } from './run-summary.ts';
import { messageOf } from '../../core/text/error-message.ts';

/** The user's editable price table (settings key `prices`), shared by every run summary. */
export class PriceTable {
  rows = $state.raw<readonly PriceRow[]>(DEFAULT_PRICES);
  error = $state<string | null>(null);
  #loading: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<readonly PriceRow[]> = () =>
      loadSetting(PRICES_SETTING_KEY, parsePrices, [...DEFAULT_PRICES]),
    private readonly write: (rows: PriceRow[]) => Promise<void> = (rows) => saveSetting(PRICES_SETTING_KEY, rows),
  ) {}

  load(): Promise<void> {
    this.#loading ??= this.read().then(
      (rows) => void (this.rows = rows),
      (error: unknown) => void (this.error = `Could not read the price table: ${String(error)}`),
    );
    return this.#loading;
  }

  async save(rows: readonly PriceRow[]): Promise<void> {
    const clean = parsePrices(rows) ?? [];
    try {
      await this.write(clean);
      this.rows = clean;
      this.error = null;
    } catch (error) {
      this.error = messageOf(error);
    }
  }
}

export const priceTable = new PriceTable();
