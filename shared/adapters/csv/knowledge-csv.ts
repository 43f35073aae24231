/**
 * CSV for knowledge import and export with csv-parse / csv-stringify: UTF-8 (a byte-order mark is accepted and
 * written, so spreadsheet programs open Chinese text correctly), a header row, comma- or tab-separated.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DomainError } from '../../domain/errors.ts';
import { RECORD_COLUMNS, type EntryRecord } from '../../domain/knowledge/knowledge-admin.ts';
import type { CsvCodec } from '../../ports/knowledge.ts';

export const knowledgeCsv: CsvCodec = {
  parse(content: string): EntryRecord[] {
    const text = content.replace(/^\uFEFF/, '');
    const header = text.slice(0, text.search(/\r?\n|$/));
    const delimiter = header.includes('\t') && !header.includes(',') ? '\t' : ',';
    let rows: Record<string, string>[];
    try {
      rows = parse(text, { columns: (h: string[]) => h.map((c) => c.trim()), delimiter, skip_empty_lines: true, relax_column_count: false, trim: false, bom: true });
    } catch (error) {
      throw new DomainError('KNOWLEDGE.INVALID', `the CSV cannot be read: ${(error as Error).message}`);
    }
    const columns = Object.keys(rows[0] ?? {});
    const unknown = columns.filter((c) => !(RECORD_COLUMNS as readonly string[]).includes(c));
    if (unknown.length > 0) throw new DomainError('KNOWLEDGE.INVALID', `unknown column(s) ${unknown.join(', ')}; the columns are ${RECORD_COLUMNS.join(', ')}`);
    if (rows.length > 0 && !columns.includes('id')) throw new DomainError('KNOWLEDGE.INVALID', 'the CSV needs an id column');
    return rows as EntryRecord[];
  },
  stringify(records: readonly EntryRecord[]): string {
    return `\uFEFF${stringify(records as EntryRecord[], { header: true, columns: [...RECORD_COLUMNS], record_delimiter: 'windows' })}`;
  },
};
