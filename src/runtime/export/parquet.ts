// Export records as a Parquet file: the same columns as the JSON lines (EXPORT_COLUMNS), typed
// (occurredAt a millisecond timestamp, journeyVersion an int, the rest UTF-8 strings, nullable
// where a record may lack them), snappy-compressed, written a row group at a time so memory stays
// flat whatever the range holds.
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer';
import { EXPORT_COLUMNS, type ExportRecord } from './records.ts';

type Column = (typeof EXPORT_COLUMNS)[number];
type ColumnType = 'STRING' | 'TIMESTAMP' | 'INT32';

const REQUIRED: ReadonlySet<Column> = new Set(['type', 'occurredAt', 'sandbox', 'profileId']);
const typeOf = (c: Column): ColumnType =>
  c === 'occurredAt' ? 'TIMESTAMP' : c === 'journeyVersion' ? 'INT32' : 'STRING';

/** Rows per row group: large enough for good compression, small enough to keep memory low. */
export const PARQUET_ROW_GROUP = 10_000;

function columns(rows: readonly ExportRecord[]): ColumnSource[] {
  return EXPORT_COLUMNS.map((name) => ({
    name,
    type: typeOf(name),
    nullable: !REQUIRED.has(name),
    data:
      name === 'occurredAt' ? rows.map((r) => new Date(r.occurredAt)) : rows.map((r) => r[name]),
  }));
}

/** Writes the records to `file`; answers how many were written. */
export async function writeParquet(
  file: string,
  records: AsyncIterable<ExportRecord>,
): Promise<number> {
  const schema = schemaFromColumnData({ columnData: columns([]) });
  const writer = new ParquetWriter({ writer: fileWriter(file), schema, createdBy: 'waymark' });
  let group: ExportRecord[] = [];
  let n = 0;
  const flush = async () => {
    if (group.length === 0) return;
    await writer.write({ columnData: columns(group), rowGroupSize: group.length });
    group = [];
  };
  for await (const r of records) {
    group.push(r);
    n++;
    if (group.length >= PARQUET_ROW_GROUP) await flush();
  }
  await flush();
  await writer.finish();
  return n;
}
