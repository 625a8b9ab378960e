import assert from 'node:assert/strict';
import { test } from 'node:test';
import writeXlsxFile from 'write-excel-file/node';
import { checkZip } from './zip-guard.ts';

test('a real XLSX passes with its declared sizes', async () => {
  const buf = await writeXlsxFile([[{ value: 'Nguyễn Thị Lan' }, { value: 8.5 }]], {}).toBuffer();
  const r = checkZip(buf);
  assert.equal(r.ok, true);
  assert.ok(r.ok && r.entries > 3 && r.uncompressed > 0);
});

test('declared sizes beyond the limit are refused before inflating anything', async () => {
  const buf = await writeXlsxFile([[{ value: 'x'.repeat(5000) }]], {}).toBuffer();
  assert.deepEqual(checkZip(buf, { maxBytes: 1000, maxEntries: 100 }), { ok: false, reason: 'too_large' });
  assert.deepEqual(checkZip(buf, { maxBytes: 1e9, maxEntries: 2 }), { ok: false, reason: 'too_many_entries' });
});

test('not a zip, or a truncated one, is refused', async () => {
  assert.deepEqual(checkZip(Buffer.from('STT,Họ tên\n1,An\n')), { ok: false, reason: 'not_zip' });
  const buf = await writeXlsxFile([[{ value: 1 }]], {}).toBuffer();
  assert.equal(checkZip(buf.subarray(0, buf.length - 30)).ok, false);
  assert.equal(checkZip(Buffer.alloc(0)).ok, false);
});
