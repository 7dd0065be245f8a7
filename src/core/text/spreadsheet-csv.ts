/**
 * CSV that is safe to open in a spreadsheet, written one way everywhere Sift exports (the results
 * table, the agent's `export_csv`, the CRM): RFC 4180 quoting, CRLF line ends, and one formula guard.
 *
 * The guard: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return, possibly behind
 * quotes, gets a leading `'`, so Excel, Numbers and Sheets show it instead of running it as a formula
 * (newsletter text is untrusted; OWASP "CSV injection"). `unescapeFormula` is its inverse, for
 * reading Sift's own export back.
 */
import Papa from 'papaparse';

/** A formula start, possibly behind quotes that a re-import would otherwise eat. */
const FORMULA_START = /^'*[=+\-@\t\r]/;
/** A cell the guard escaped. */
const FORMULA_ESCAPED = /^''*[=+\-@\t\r]/;

export function writeCsv(fields: readonly string[], rows: string[][]): string {
  return Papa.unparse({ fields: [...fields], data: rows }, { escapeFormulae: FORMULA_START, newline: '\r\n' });
}

export function unescapeFormula(cell: string): string {
  return cell.charCodeAt(0) === 39 /* ' */ && FORMULA_ESCAPED.test(cell) ? cell.slice(1) : cell;
}
