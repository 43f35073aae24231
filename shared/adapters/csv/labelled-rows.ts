/**
 * Labelled text rows for the evaluation command and for training the sentiment engine: JSONL (`{"text": ..., "label": ...}` a line), CSV or TSV (columns
 * `text,label`, with or without that header). Read by path; datasets are never copied into the repository.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface LabelledRow {
  readonly text: string;
  readonly label: string;
}

export function loadRows(path: string): LabelledRow[] {
  const raw = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const lower = path.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) {
    return raw
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line, i) => {
        const row = JSON.parse(line) as { text?: unknown; label?: unknown };
        if (typeof row.text !== 'string' || row.label === undefined) throw new Error(`${path}:${i + 1}: expected {"text", "label"}`);
        return { text: row.text, label: String(row.label) };
      });
  }
  const delimiter = lower.endsWith('.tsv') || lower.endsWith('.tab') ? '\t' : ',';
  const records = parse(raw, { delimiter, relax_column_count: true, skip_empty_lines: true, relax_quotes: delimiter === '\t', quote: delimiter === '\t' ? false : '"' }) as string[][];
  const header = records[0]?.map((c) => c.trim().toLowerCase());
  const hasHeader = header?.includes('text') && header.includes('label');
  const textAt = hasHeader ? header!.indexOf('text') : 0;
  const labelAt = hasHeader ? header!.indexOf('label') : 1;
  return records.slice(hasHeader ? 1 : 0).map((record, i) => {
    const text = record[textAt];
    const label = record[labelAt];
    if (text === undefined || label === undefined) throw new Error(`${path}:${i + 1}: expected text${delimiter === '\t' ? '<TAB>' : ','}label`);
    return { text, label: label.trim() };
  });
}
