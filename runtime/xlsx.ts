import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded when the first spreadsheet is asked for: it and its zip libraries are about 24 MB of a server's
 * memory (measured with bench:memory), which a server that exports nothing all day should not carry.
 */
export async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
