import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { xlsxOf } from './import.fixtures.js';
import { readXlsx } from './import.xlsx.js';

/** A minimal zip (deflated entries, central directory) of the given parts, as other programs write them. */
function zip(parts: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(parts)) {
    const data = Buffer.from(text, 'utf8');
    const packed = deflateRawSync(data);
    const fileName = Buffer.from(name, 'utf8');
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(8, 8);
    head.writeUInt32LE(crc32(data), 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(fileName.length, 26);
    locals.push(head, fileName, packed);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc32(data), 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(fileName.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, fileName);
    offset += 30 + fileName.length + packed.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

const rowsOf = (buf: Buffer) => readXlsx(buf).map((s) => ({ name: s.name, rows: [...s.rows()] }));

describe('readXlsx', () => {
  it('reads what exceljs writes: shared strings, numbers, sheet names in order', async () => {
    const buf = await xlsxOf({ 人员: [['姓名', '工号'], ['张三', 1001], [null, 'x']], 'A&B': [['单位路径']] });
    expect(rowsOf(buf)).toEqual([
      { name: '人员', rows: [{ row: 1, cells: ['姓名', '工号'] }, { row: 2, cells: ['张三', '1001'] }, { row: 3, cells: ['', 'x'] }] },
      { name: 'A&B', rows: [{ row: 1, cells: ['单位路径'] }] },
    ]);
  });

  it('reads other programs’ dialects: prefixes, inline and rich text, phonetic guides, entities, missing references', () => {
    const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const buf = zip({
      '[Content_Types].xml': '<Types/>',
      'xl/workbook.xml': `<?xml version="1.0"?><x:workbook ${ns}><x:sheets><x:sheet name="人员 &amp; 名单" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>`,
      'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId7" Type="worksheet" Target="/xl/worksheets/data.xml"/></Relationships>',
      'xl/sharedStrings.xml': `<x:sst ${ns}><x:si><x:t>姓名</x:t></x:si><x:si><x:r><x:t>张</x:t></x:r><x:r><x:rPr/><x:t xml:space="preserve">三 </x:t></x:r><x:rPh sb="0" eb="1"><x:t>ちょう</x:t></x:rPh></x:si><x:si/></x:sst>`,
      'xl/worksheets/data.xml': `<x:worksheet ${ns}><x:sheetData>
        <x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>工号</x:t></x:is></x:c></x:row>
        <x:row r="3"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c r="C3" t="inlineStr"><x:is><x:t>R&amp;D &#x4E2D;&#25991;_x000D_</x:t></x:is></x:c><x:c r="D3" t="b"><x:v>1</x:v></x:c><x:c r="E3"><x:v>13812345678</x:v></x:c><x:c r="F3" t="str"><x:f>A1</x:f><x:v>姓名</x:v></x:c><x:c r="G3" t="s"><x:v>2</x:v></x:c></x:row>
        <x:row r="4"/>
      </x:sheetData></x:worksheet>`,
    });
    expect(rowsOf(buf)).toEqual([
      {
        name: '人员 & 名单',
        rows: [
          { row: 1, cells: ['姓名', '工号'] },
          { row: 3, cells: ['张三 ', '', 'R&D 中文\r', 'TRUE', '13812345678', '姓名'] },
          { row: 4, cells: [] },
        ],
      },
    ]);
  });

  it('is not thrown by quotes holding >, comments, empty values and formulas without a result', () => {
    const buf = zip({
      'xl/workbook.xml': '<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
      'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
      'xl/sharedStrings.xml': '<sst><si><t xml:space="preserve"> a </t></si><si><t/></si></sst>',
      'xl/worksheets/sheet1.xml': `<worksheet><sheetData><!-- a <row> in a comment -->
        <row r="1" spans="1:5" x14ac:dyDescent="0.25"><c r="A1" t="s" data-note="a>b/"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><f>1+1</f></c><c r="D1" t="e"><v>#N/A</v></c><c r="E1" t="s"><v>99</v></c><c r="F1"><v/></c></row>
      </sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>`,
    });
    expect(rowsOf(buf)).toEqual([{ name: 'S', rows: [{ row: 1, cells: [' a ', '', '', '#N/A'] }] }]);
  });

  it('refuses what is not a workbook', () => {
    expect(() => readXlsx(Buffer.from('PK\u0003\u0004 nothing else'))).toThrow();
    expect(() => readXlsx(zip({ 'word/document.xml': '<w/>' }))).toThrow();
  });
});
