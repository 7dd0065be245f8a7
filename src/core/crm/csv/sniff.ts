/** Recognises files that are not text (and say which they are), and the text encoding of those that are. */
import { looksBinary } from '../../text/binary.ts';
import { CsvFileError, type CsvEncoding } from './types.ts';

function startsWith(bytes: Uint8Array, ...prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** Recognises files that are not text, and the text encoding of those that are. */
export function sniffEncoding(bytes: Uint8Array): CsvEncoding {
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04))
    throw new CsvFileError(
      'This is a ZIP-based file (an Excel .xlsx, Numbers or OpenDocument spreadsheet?), not a CSV. Open it in its app and export or “Save as” CSV, then import that file.',
    );
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0))
    throw new CsvFileError('This is an old Excel .xls file, not a CSV. Open it in Excel and “Save as” CSV UTF-8.');
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46))
    throw new CsvFileError('This is a PDF, not a CSV. Export your companies from your CRM as CSV.');
  if (startsWith(bytes, 0xff, 0xfe)) return 'utf-16le';
  if (startsWith(bytes, 0xfe, 0xff)) return 'utf-16be';
  if (looksBinary(bytes))
    throw new CsvFileError('This file contains binary data, so it is not a CSV. Choose a .csv file.');
  const sample = bytes.subarray(0, Math.min(bytes.length, 65536));
  try {
    // A multi-byte character may be cut at the end of the sample; only earlier bytes decide.
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, Math.max(0, sample.length - 4)));
    return 'utf-8';
  } catch {
    // Excel on Windows writes "CSV" in the ANSI code page.
    return 'windows-1252';
  }
}
