import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeTranslate } from '../i18n/index.ts';
import { errorHelp } from './error-help.ts';

test('common failures get a hint that says what to do, and a troubleshooting section where the guide has one', () => {
  const cases: Array<[string | undefined, number | undefined, string | null, string | null]> = [
    ['auth.required', 401, 'errorHint.auth.required', 'phien-het-han'],
    ['forbidden', 403, 'errorHint.forbidden', 'khong-co-quyen'],
    ['grade.locked', 423, 'errorHint.grade.locked', 'bang-diem-da-khoa'],
    ['certificate.expired', 422, 'errorHint.certificate.expired', 'chung-thu-het-han'],
    ['certificate.revoked', 422, 'errorHint.certificate.revoked', 'chung-thu-het-han'],
    ['signing.remote_timeout', 504, 'errorHint.signing.remote_timeout', 'ky-tu-xa-het-gio'],
    ['rate_limited', 429, 'errorHint.rate_limited', null],
    ['network', 0, 'errorHint.network', 'loi-ket-noi'],
    ['agent', undefined, 'errorHint.agent', 'khong-tim-thay-token'],
    ['internal', 507, 'errorHint.disk_full', null],
    ['storage.full', 507, 'errorHint.disk_full', null],
    ['not_found', 404, null, null],
    [undefined, undefined, null, null],
  ];
  const vi = makeTranslate('vi');
  const en = makeTranslate('en');
  for (const [code, status, hint, anchor] of cases) {
    const h = errorHelp(code, status);
    assert.equal(h.hint, hint, `${code} hint`);
    assert.equal(h.topic?.anchor ?? null, anchor, `${code} section`);
    if (h.topic) assert.equal(h.topic.page, 'xu-ly-su-co');
    // Each hint exists in both languages and is an instruction, not just a restatement.
    if (h.hint) {
      assert.notEqual(vi(h.hint), h.hint);
      assert.notEqual(en(h.hint), vi(h.hint));
    }
  }
});
