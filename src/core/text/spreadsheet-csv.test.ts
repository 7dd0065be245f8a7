import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { unescapeFormula, writeCsv } from './spreadsheet-csv.ts';

describe('writeCsv', () => {
  it('writes a header and rows with CRLF, quoting what needs quotes', () => {
    expect(
      writeCsv(
        ['a', 'b'],
        [
          ['1', 'x, y'],
          ['2', 'say "hi"\nbye'],
        ],
      ),
    ).toBe('a,b\r\n1,"x, y"\r\n2,"say ""hi""\nbye"');
    expect(writeCsv(['name', 'website'], [])).toBe('name,website\r\n');
  });

  it.each(['=HYPERLINK("http://evil.example")', '+1+2', '-2', '@SUM(A1)', '\tx', '\rx', "'=1", "''+1"])(
    'defuses %j so a spreadsheet shows it instead of running it',
    (cell) => {
      const [, written] = writeCsv(['cell'], [[cell]]).split('\r\n');
      const read = Papa.parse<string[]>(written!).data[0]![0]!;
      expect(read).toBe(`'${cell}`);
      expect(unescapeFormula(read)).toBe(cell);
    },
  );

  it('leaves ordinary cells, and a quote that starts no formula, as they are', () => {
    expect(writeCsv(['x'], [["it's"], ['acme.com'], ["'quoted'"]])).toBe("x\r\nit's\r\nacme.com\r\n'quoted'");
    expect(unescapeFormula("'quoted'")).toBe("'quoted'");
  });

  it('reads back what it wrote, cell for cell, after unescaping', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 2, maxLength: 2 }), { maxLength: 8 }),
        (rows) => {
          const parsed = Papa.parse<string[]>(writeCsv(['a', 'b'], rows), { skipEmptyLines: false }).data;
          expect(parsed.slice(1, rows.length + 1).map((row) => row.map(unescapeFormula))).toEqual(rows);
        },
      ),
    );
  });
});
