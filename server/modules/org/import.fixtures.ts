import ExcelJS from 'exceljs';

/** Files as users upload them, for the import and export tests and the benchmark. */

export type Cell = string | number | null;

/** A workbook with the given sheets, as the bytes a user would upload. */
export async function xlsxOf(sheets: Record<string, Cell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A multipart/form-data body with one file part, as a browser's upload sends it. */
export function multipart(fileName: string, data: Buffer, field = 'file') {
  const boundary = `----bulwark${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, data, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
