import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { formatCsv } from '../../core/results/csv-export';
import type { EngagementRow } from '../../core/engine';
import { csvCell, displayText } from '../../core/text/display-text';
import { yearRow } from '../support/segment-rows';

describe('text from customer data, shown and exported', () => {
  it('strips NUL, stray controls and bidi overrides, keeping tabs, line breaks and every other letter', () => {
    assert.equal(displayText('Con\u0000toso\u202e Ltd\u2066'), 'Contoso Ltd');
    assert.equal(displayText('Zoë & Søn\tGmbH\n'), 'Zoë & Søn\tGmbH\n');
    assert.equal(displayText('\u0007\u001b[31mred\u007f'), '[31mred');
  });

  it('neutralises every cell that starts like a formula, as OWASP recommends, and only those', () => {
    const cases: [unknown, string][] = [
      [
        '=HYPERLINK("https://evil.example/x","click me")',
        `"'=HYPERLINK(""https://evil.example/x"",""click me"")"`,
      ],
      ["+cmd|' /C calc'!A0", `"'+cmd|' /C calc'!A0"`],
      ['-2+3', `"'-2+3"`],
      ['@SUM(1+1)', `"'@SUM(1+1)"`],
      ['\t=1', `"'\t=1"`],
      ['\r=1', `"'\r=1"`],
      ['Contoso, Ltd', '"Contoso, Ltd"'],
      ['Contoso Ltd', 'Contoso Ltd'],
      [-5, '-5'],
      [4.5, '4.5'],
      [null, ''],
    ];
    for (const [value, expected] of cases) assert.equal(csvCell(value), expected, String(value));
  });

  it('exports rows whose names and ids look like formulas as plain text a spreadsheet shows as written', () => {
    const row: EngagementRow = yearRow({
      AccountId: '=2+3',
      AccountName: '=HYPERLINK("https://evil.example/x","x")',
    });
    const [record] = parse(formatCsv([row]), { columns: true }) as Record<string, string>[];
    assert.equal(record?.AccountId, "'=2+3");
    assert.equal(record?.AccountName, `'=HYPERLINK("https://evil.example/x","x")`);
    assert.equal(record?.EngagementScore, String(row.EngagementScore));
  });
});
