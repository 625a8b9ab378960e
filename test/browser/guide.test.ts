/**
 * The user guide (docs/guide) stays true to the product: this test walks the demo school
 * (as `npm start` loads it, with its finished year) through a school year as each role
 * does — the IT officer's setup, marks, the homeroom page, freezing 10A1, the whole
 * signing chain (subject teachers, GVCN, a record returned by the principal, approval,
 * the clerk's seal), copies, share links, verification — and writes the guide's pictures
 * into docs/guide/images (overwriting them). Then every app path the guide links to must
 * open a real page for some demo account (not the "not found" page), every image the
 * guide shows must be one this run produced, and every link between guide pages must
 * point at an existing page and anchor.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { verificationCode } from '../../src/domain/record/verification-code.ts';
import { DEMO_PASSWORD, parseDemoLogins } from './helpers/demo.ts';
import { LoginPage } from './helpers/pages.ts';
import { chromiumMissingReason, launchBrowser } from './helpers/browser.ts';
import { ensureWebBuilt, startServer, type RunningServer } from './helpers/server.ts';
import { anchorsOf, apiOf, errorShown, GuideCamera, guideContext, guidePages, guideReferences, settle, type ApiCall } from './guide-support.ts';

const LONG = 600_000;

/** Who signs in for each part of the guide: the demo's printed sign-ins, by role. */
interface Cast {
  admin: string;
  principal: string;
  vice: string;
  clerk: string;
  departmentHead: string;
  homeroom: string;
  teacher: string;
  student: string;
  parent: string;
  /** Every teacher of 10A1 (step 2 of the printed walk-through). */
  teachersOf10A1: string[];
}

function castOf(output: string): Cast {
  const logins = parseDemoLogins(output);
  const by = (role: string) => {
    const login = logins.find((l) => l.role === role);
    assert.ok(login, `hocba serve lists a ${role}:\n${output}`);
    return login.username;
  };
  const step2 = output.split('\n').find((l) => /^\s+2\. /.test(l)) ?? '';
  const teachersOf10A1 = [...step2.slice(step2.indexOf(':') + 1).matchAll(/([a-z0-9._]+) \(/g)].map((m) => m[1]!);
  assert.ok(teachersOf10A1.length >= 5, `the subject teachers of 10A1 are listed:\n${step2}`);
  return {
    admin: by('school_admin'),
    principal: by('principal'),
    vice: by('vice_principal'),
    clerk: by('clerk'),
    departmentHead: by('department_head'),
    homeroom: by('homeroom_teacher'),
    teacher: by('subject_teacher'),
    student: by('student'),
    parent: by('parent'),
    teachersOf10A1,
  };
}

describe('the user guide: pictures from the demo school, and every page it names exists', { timeout: 2_700_000 }, () => {
  // The demo school exactly as `npm start` loads it, with its finished year (marks of every
  // class: a minute or more on a busy machine, hence the long start-up allowance).
  const platform = {
    skipReason: chromiumMissingReason(),
    server: undefined as unknown as RunningServer,
    browser: undefined as unknown as Browser,
  };
  const camera = new GuideCamera();
  const contexts = new Map<string, BrowserContext>();
  let cast: Cast;
  let class10A1 = '';
  let pictures = false;

  const dataDir = mkdtempSync(join(tmpdir(), 'hocba-guide-'));
  const serverEnv = { HOCBA_DEMO_YEAR: '1', DATA_DIR: dataDir };
  /**
   * The server registers the web build's files when it starts: if dist/web is rebuilt under it
   * (someone editing src/web runs a browser test meanwhile), its pages stop loading. Then the
   * same data directory is served again by a fresh server with the new build.
   */
  async function restartServer(): Promise<void> {
    await platform.server.stop();
    await ensureWebBuilt();
    platform.server = await startServer({ env: serverEnv, timeoutMs: 600_000 });
  }
  const url = (path: string) => `${platform.server.url}${path}`;

  before(async () => {
    if (platform.skipReason) return;
    platform.server = await startServer({ env: serverEnv, timeoutMs: 600_000 });
    platform.browser = await launchBrowser();
    cast = castOf(platform.server.output());
    // `serve` issues the demo's TEST certificates just after it starts listening.
    for (let i = 0; !/issued and registered \d+ TEST certificates/.test(platform.server.output()); i++) {
      assert.ok(i < 1200, `no demo certificates:\n${platform.server.output()}`);
      await sleep(100);
    }
  });
  after(async () => {
    for (const context of contexts.values()) await context.close();
    await platform.browser?.close();
    await platform.server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A signed-in page of `username` (one context per account, reused). */
  async function as(username: string): Promise<Page> {
    let context = contexts.get(username);
    if (!context) {
      context = await guideContext(platform.browser);
      const page = await context.newPage();
      await open(page, '/');
      await new LoginPage(page).signIn(username, DEMO_PASSWORD);
      await page.getByTestId('home-heading').waitFor();
      contexts.set(username, context);
      return page;
    }
    return context.pages()[0] ?? context.newPage();
  }
  const apiAs = async (username: string): Promise<ApiCall> => {
    await as(username);
    return apiOf(contexts.get(username)!, () => platform.server.url);
  };
  async function open(page: Page, path: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await page.goto(url(path));
      const rendered = await page
        .waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0, null, { timeout: 30_000 })
        .then(() => true, () => false);
      if (rendered) break;
      assert.ok(attempt < 3, `the web UI does not load at ${path}`);
      await restartServer();
    }
    await settle(page);
  }
  const shot = (page: Page, name: string, opts?: { fullPage?: boolean; allowError?: boolean }) => camera.shot(page, name, opts);

  /** Signing page → (step) → 10A1 or the whole school → prepare; leaves the batch panel open. */
  async function prepareBatch(page: Page, opts: { wide?: boolean; step?: string } = {}): Promise<void> {
    await open(page, '/signing');
    await page.getByTestId('to-sign-table').waitFor();
    // Someone with two steps (a GVCN who also teaches a subject) picks theirs first.
    if (opts.step && (await page.getByTestId('signing-step').count())) await page.getByTestId('signing-step').getByText(opts.step).click();
    if (opts.wide) await page.getByTestId('signing-prepare-school').click();
    else {
      await page.getByTestId('to-sign-row-10A1').locator('input[type=checkbox]').check();
      await page.getByTestId('signing-prepare').click();
    }
    await page.getByTestId('batch-panel').waitFor();
    await settle(page);
  }
  async function signWithPassword(page: Page, expect: RegExp): Promise<void> {
    await page.getByTestId('method-server').click();
    await page.getByTestId('signing-password').fill(DEMO_PASSWORD);
    await page.getByTestId('signing-run').click();
    await page.getByTestId('batch-counts').filter({ hasText: expect }).waitFor({ timeout: LONG });
  }
  /** The API way for the steps the guide shows once: prepare and sign a step over 10A1 with the server-held demo key. */
  async function signByApi(username: string, step: string): Promise<number> {
    const api = await apiAs(username);
    const batch = await api<{ batchId: string; items: unknown[] }>('POST', '/api/signing/batches', { step, target: { classId: class10A1 } });
    if (batch.items.length === 0) return 0;
    const done = await api<{ progress: { signed: number; failed: number } }>('POST', `/api/signing/batches/${batch.batchId}/sign-with-server-key`, { password: DEMO_PASSWORD });
    assert.equal(done.progress.failed, 0, `${username} ${step}`);
    return done.progress.signed;
  }

  test('the guide pictures, in the order of the school year', { timeout: 2_000_000 }, async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);

    // ── Before signing in; the verification page anyone can open ──
    {
      const context = await guideContext(platform.browser);
      contexts.set('(public)', context);
      const page = await context.newPage();
      await open(page, '/');
      await new LoginPage(page).waitUntilShown();
      await shot(page, 'readme-1-dang-nhap');
      await open(page, '/verify');
      await page.getByTestId('verify-title').waitFor();
      await shot(page, 'xac-minh-1-trang-kiem-tra');
    }

    // ── IT officer: school settings, staff, subjects, classes, data quality, certificates, sync, backup ──
    {
      const page = await as(cast.admin);
      await shot(page, 'can-bo-cntt-1-trang-chu');
      await open(page, '/school-settings');
      await shot(page, 'can-bo-cntt-2-cai-dat-truong');
      await open(page, '/staff');
      await shot(page, 'can-bo-cntt-3-can-bo');
      await open(page, '/subjects');
      await shot(page, 'can-bo-cntt-4-mon-hoc');
      await open(page, '/classes');
      await shot(page, 'can-bo-cntt-5-lop-hoc');
      const classes = await (await apiAs(cast.admin))<{ classes: Array<{ id: string; name: string }> }>('GET', '/api/classes');
      class10A1 = classes.classes.find((c) => c.name === '10A1')!.id;
      await open(page, `/classes/${class10A1}`);
      await page.getByTestId('class-students-table').waitFor();
      await shot(page, 'can-bo-cntt-6-danh-sach-lop');
      await page.getByTestId('import-open').click();
      await page.locator('.ant-modal').first().waitFor();
      await shot(page, 'can-bo-cntt-7-nhap-danh-sach');
      await page.keyboard.press('Escape');
      await open(page, `/classes/${class10A1}/reconciliation`);
      await shot(page, 'can-bo-cntt-8-doi-chieu');
      await open(page, '/data-quality');
      await page.getByTestId('quality-totals').waitFor();
      await shot(page, 'can-bo-cntt-9-chat-luong-du-lieu');
      await open(page, '/certificates');
      await page.getByTestId('board-table').waitFor();
      await shot(page, 'can-bo-cntt-10-chung-thu-so');
      await open(page, '/sync');
      await shot(page, 'can-bo-cntt-11-dong-bo');
      await open(page, '/backup');
      await shot(page, 'can-bo-cntt-12-sao-luu');
      await open(page, '/audit');
      await shot(page, 'can-bo-cntt-13-nhat-ky');
    }

    // ── Principal at the start of the year: the plan, the progress board, cross-checks ──
    {
      const page = await as(cast.principal);
      await shot(page, 'hieu-truong-1-trang-chu');
      await open(page, '/plan');
      await shot(page, 'hieu-truong-2-ke-hoach');
      await open(page, '/plan/board');
      await page.getByTestId('plan-board-table').waitFor();
      await shot(page, 'hieu-truong-3-tien-do');
      await open(page, '/cross-checks');
      await page.getByTestId('cross-check-assign').click();
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      await page.locator('.ant-modal-footer').waitFor({ state: 'hidden' });
      await page.getByTestId('cross-checks-table').locator('tbody tr.ant-table-row').first().waitFor();
      await shot(page, 'hieu-truong-4-kiem-tra-cheo');
      await open(page, '/certificates');
      await page.getByTestId('board-table').waitFor();
      await shot(page, 'hieu-truong-5-chung-thu-so');
    }

    // ── Subject teacher: home ("Việc của tôi"), my classes, the grade sheet, account and certificate ──
    {
      const page = await as(cast.teacher);
      await shot(page, 'giao-vien-bo-mon-1-trang-chu');
      await open(page, '/my-classes');
      await page.getByTestId('my-classes-table').waitFor();
      await shot(page, 'giao-vien-bo-mon-2-lop-toi-day');
      await page.locator('a[data-testid^="open-sheet-10A1-"][data-testid$="-1"]').first().click();
      await page.getByTestId('grade-grid').waitFor();
      await shot(page, 'giao-vien-bo-mon-3-bang-diem');
      // Submitting locks the sheet (the demo's marks are complete); a change then needs a request.
      await page.getByTestId('submit-sheet').click();
      await page.getByTestId('submit-confirm').click();
      await page.getByTestId('sheet-locked').waitFor();
      await page.getByTestId('cell-0-tx2').click();
      await page.getByTestId('request-change').click();
      const form = page.getByTestId('change-request-form');
      await form.waitFor();
      await form.getByTestId('change-value-input').fill('9');
      await form.getByTestId('change-request-reason').fill('Nhập nhầm điểm TX2 (bài làm đạt 9 điểm, có bài đối chiếu).');
      await shot(page, 'giao-vien-bo-mon-9-de-nghi-sua-diem');
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'hidden' });
      await page.getByTestId('sheet-history').click();
      await page.getByTestId('history-drawer').waitFor();
      await shot(page, 'giao-vien-bo-mon-4-lich-su');
      await page.keyboard.press('Escape');
      await open(page, '/account');
      await shot(page, 'giao-vien-bo-mon-5-tai-khoan', { fullPage: true });
    }

    // ── Department head: cross-checking another department's sheets ──
    {
      const page = await as(cast.departmentHead);
      await shot(page, 'to-truong-1-trang-chu');
      await open(page, '/cross-checks');
      await page.getByTestId('cross-checks-table').waitFor();
      await shot(page, 'to-truong-2-kiem-tra-cheo');
      await open(page, '/classes');
      await shot(page, 'to-truong-3-lop-hoc');
    }

    // ── Homeroom teacher: the class page, register, subjects' progress, a student's profile, freezing ──
    {
      const page = await as(cast.homeroom);
      await shot(page, 'giao-vien-chu-nhiem-1-trang-chu');
      await open(page, `/homeroom/${class10A1}`);
      await page.getByTestId('homeroom-heading').waitFor();
      await shot(page, 'giao-vien-chu-nhiem-2-lop-chu-nhiem');
      await page.getByRole('tab', { name: 'Sổ điểm danh' }).click();
      await page.getByTestId('attendance-table').waitFor();
      await shot(page, 'giao-vien-chu-nhiem-3-diem-danh');
      await page.getByRole('tab', { name: 'Tình trạng nhập điểm các môn' }).click();
      await settle(page);
      await shot(page, 'giao-vien-chu-nhiem-4-tinh-trang-nhap-diem');
      await open(page, '/data-quality');
      await page.getByTestId('quality-totals').waitFor();
      await shot(page, 'giao-vien-chu-nhiem-5-chat-luong-du-lieu');
      await page.getByTestId('quality-problems').getByTestId('quality-problem-student').first().click();
      await page.getByTestId('student-heading').waitFor();
      await shot(page, 'giao-vien-chu-nhiem-6-ho-so-hoc-sinh');
      await open(page, `/homeroom/${class10A1}`);
      await page.getByTestId('freeze-class').click();
      await page.getByRole('button', { name: /OK|Đồng ý/ }).click();
      await page.getByTestId('freeze-blocked').waitFor({ timeout: LONG });
      await shot(page, 'giao-vien-chu-nhiem-7-chot-hoc-ba');
      await page.keyboard.press('Escape');
    }

    // ── Subject teacher signs their rows in the browser (with the troubleshooting picture of a missing agent) ──
    {
      const page = await as(cast.teacher);
      await open(page, '/signing');
      await page.getByTestId('to-sign-row-10A1').waitFor();
      await shot(page, 'giao-vien-bo-mon-6-ky-hoc-ba');
      await prepareBatch(page);
      await shot(page, 'giao-vien-bo-mon-7-luot-ky');
      await page.getByTestId('method-agent').click();
      await page.getByTestId('agent-url').fill('http://127.0.0.1:9');
      await page.getByTestId('agent-check').click();
      await page.getByTestId('agent-down').waitFor();
      await shot(page, 'xu-ly-su-co-1-khong-thay-trinh-ky');
      await signWithPassword(page, /Đã ký 40\/40 · lỗi 0/);
      await shot(page, 'giao-vien-bo-mon-8-da-ky');
    }
    for (const username of cast.teachersOf10A1) await signByApi(username, 'subject');

    // ── Homeroom teacher signs the class ──
    {
      const page = await as(cast.homeroom);
      await open(page, `/homeroom/${class10A1}`);
      await page.getByTestId('homeroom-sign').click();
      await page.getByTestId('to-sign-table').waitFor();
      await prepareBatch(page, { step: 'GVCN ký' });
      await signWithPassword(page, /Đã ký 40\/40 · lỗi 0/);
      await shot(page, 'giao-vien-chu-nhiem-8-ky-hoc-ba');
    }

    // ── Principal: returns one record from its timeline, records a delegation, approves the rest ──
    const records = await (await apiAs(cast.principal))<{ students: Array<{ studentId: string; fullName: string; record: { state?: string } | null }> }>('GET', `/api/classes/${class10A1}/records`);
    const signed = records.students.filter((s) => s.record && JSON.stringify(s.record).includes('homeroom_signed'));
    assert.equal(signed.length, 40, JSON.stringify(records.students.map((s) => s.record)).slice(0, 400));
    const returned = signed[signed.length - 1]!;
    {
      const page = await as(cast.principal);
      await open(page, '/signing');
      await page.getByTestId('to-sign-row-10A1').waitFor();
      await shot(page, 'hieu-truong-6-ky-hoc-ba');
      await open(page, `/classes/${class10A1}`);
      await page.getByTestId(`record-view-${returned.studentId}`).click();
      await page.getByTestId('signature-timeline').getByTestId('timeline-sig-homeroom').waitFor();
      await shot(page, 'hieu-truong-7-xem-hoc-ba');
      await page.getByTestId('timeline-return').click();
      await page.getByTestId('return-reason').fill('Điểm kiểm tra cuối kì II môn Toán nhập nhầm, đề nghị kiểm tra lại.');
      await shot(page, 'hieu-truong-8-tra-lai');
      await page.getByRole('button', { name: 'Trả lại học bạ' }).last().click();
      await page.getByTestId('timeline-returned').waitFor();
      await page.keyboard.press('Escape');
      await open(page, '/delegations');
      await shot(page, 'hieu-truong-9-uy-quyen');
      await prepareBatch(page);
      await page.getByTestId('batch-refused').waitFor();
      await shot(page, 'hieu-truong-10-phe-duyet');
    }
    // Approving and sealing the class is what the guide shows; to keep this test short only a
    // few records go on (the first of them is the demo student's): the PDF of each seal is costly.
    const approved = signed.slice(0, 4).map((s) => s.studentId);
    {
      const api = await apiAs(cast.principal);
      const versionIds: string[] = [];
      for (const studentId of approved) {
        const v = await api<{ versions: Array<{ id: string; state: string }> }>('GET', `/api/students/${studentId}/records`);
        versionIds.push(v.versions.find((x) => x.state === 'homeroom_signed')!.id);
      }
      const batch = await api<{ batchId: string; items: unknown[] }>('POST', '/api/signing/batches', { step: 'principal', target: { versionIds } });
      assert.equal(batch.items.length, approved.length);
      const done = await api<{ progress: { signed: number } }>('POST', `/api/signing/batches/${batch.batchId}/sign-with-server-key`, { password: DEMO_PASSWORD });
      assert.equal(done.progress.signed, approved.length);
    }

    // ── Clerk: applies the seal to everything approved, then a copy with its reason ──
    {
      const page = await as(cast.clerk);
      await shot(page, 'van-thu-1-trang-chu');
      await open(page, '/school-settings');
      await shot(page, 'van-thu-2-con-dau', { fullPage: true });
      await open(page, '/signing');
      await page.getByTestId('to-sign-table').waitFor();
      await shot(page, 'van-thu-3-dong-dau');
      await prepareBatch(page);
      await signWithPassword(page, /Đã ký 4\/\d+ · lỗi 0/);
      await shot(page, 'van-thu-4-da-dong-dau');
      const first = signed[0]!;
      await open(page, `/classes/${class10A1}`);
      await page.getByTestId(`record-view-${first.studentId}`).click();
      await page.getByTestId('signature-timeline').getByTestId('timeline-sig-seal').waitFor();
      await settle(page);
      await shot(page, 'van-thu-5-hoc-ba-da-dong-dau');
      await page.getByTestId('timeline-sealed-pdf').click();
      await page.getByTestId('copy-reason').waitFor();
      await page.getByTestId('copy-reason').fill('Cấp cho phụ huynh theo đơn ngày 02/06/2026');
      await shot(page, 'van-thu-6-ly-do-cap-ban-sao');
      await page.keyboard.press('Escape');
      await open(page, '/transfers');
      await shot(page, 'van-thu-7-chuyen-truong');
    }

    // ── Homeroom teacher: the returned record and a correction request; family accounts ──
    {
      const page = await as(cast.homeroom);
      await open(page, '/corrections');
      await page.getByTestId('return-item').first().waitFor();
      await shot(page, 'giao-vien-chu-nhiem-9-hoc-ba-bi-tra-lai');
      await open(page, '/family-accounts');
      await shot(page, 'giao-vien-chu-nhiem-10-tai-khoan-hoc-sinh');
    }

    // ── Principal: corrections, copies issued, records of the year, audit ──
    {
      const page = await as(cast.principal);
      await open(page, '/corrections');
      await shot(page, 'hieu-truong-11-sua-hoc-ba');
      await open(page, '/change-requests');
      await shot(page, 'hieu-truong-12-duyet-sua-diem');
      await open(page, '/records');
      await page.getByTestId('records-classes-table').waitFor();
      await shot(page, 'hieu-truong-13-hoc-ba');
      await open(page, '/issued-copies');
      await shot(page, 'hieu-truong-14-so-cap-ban-sao');
    }

    // ── Student and parent: the sealed record, a share link ──
    let shareUrl = '';
    {
      const page = await as(cast.student);
      await open(page, '/my-records');
      await page.getByTestId('my-view').first().waitFor();
      await shot(page, 'hoc-sinh-phu-huynh-1-hoc-ba-cua-em');
      await page.getByTestId('my-view').first().click();
      await page.getByTestId('my-pdf-frame').waitFor();
      await shot(page, 'hoc-sinh-phu-huynh-2-xem-hoc-ba');
      await page.keyboard.press('Escape');
      await page.getByTestId('my-share').first().click();
      const panel = page.getByTestId('share-panel');
      await panel.waitFor();
      await panel.getByTestId('share-purpose').fill('Hồ sơ xét tuyển đại học');
      await panel.getByTestId('share-create').click();
      await panel.getByTestId('share-url').waitFor();
      shareUrl = ((await panel.getByTestId('share-url').textContent()) ?? '').trim();
      await shot(page, 'hoc-sinh-phu-huynh-3-chia-se');
    }
    {
      const page = await as(cast.parent);
      await open(page, '/my-records');
      await page.getByTestId('my-view').first().waitFor();
      await shot(page, 'hoc-sinh-phu-huynh-4-phu-huynh');
    }

    // ── Someone who receives the record: the share link and the verification page ──
    {
      const page = contexts.get('(public)')!.pages()[0]!;
      await open(page, new URL(shareUrl).pathname);
      await page.getByTestId('shared-facts').waitFor();
      await shot(page, 'xac-minh-2-duong-dan-chia-se');
      const versions = await (await apiAs(cast.principal))<{ versions: Array<{ digest: string; state: string }> }>('GET', `/api/students/${signed[0]!.studentId}/records`);
      const sealed = versions.versions.find((v) => v.state === 'sealed');
      assert.ok(sealed, JSON.stringify(versions));
      await open(page, `/verify/${verificationCode(sealed.digest)}`);
      await page.getByText('Học bạ hợp lệ').first().waitFor({ timeout: LONG });
      await shot(page, 'xac-minh-3-hop-le');
      // The signatures, below the record's content.
      await page.getByText('Chữ ký số', { exact: true }).first().scrollIntoViewIfNeeded();
      await shot(page, 'xac-minh-4-chi-tiet');
      await open(page, '/verify');
      await page.getByTestId('verify-code').fill('0000-0000-00');
      await page.getByTestId('verify-code-submit').click();
      await page.getByTestId('verify-error').waitFor();
      await shot(page, 'xu-ly-su-co-2-khong-tim-thay-ma');
    }

    // ── Troubleshooting: a page of another role gets the "no permission" page, not a broken one ──
    {
      const page = await as(cast.vice);
      await open(page, '/backup');
      assert.equal(await errorShown(page), '403', 'the backup page is the IT officer\'s');
      await shot(page, 'xu-ly-su-co-3-khong-co-quyen', { allowError: true });
    }
    pictures = true;
  });

  test('every app page, image and anchor the guide names exists', async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    assert.ok(pictures, 'the pictures were taken first');
    const pages = guidePages();
    for (const required of ['README.md', 'giao-vien-bo-mon.md', 'giao-vien-chu-nhiem.md', 'to-truong-chuyen-mon.md', 'hieu-truong.md', 'van-thu.md', 'can-bo-cntt.md', 'hoc-sinh-phu-huynh.md', 'xac-minh.md', 'xu-ly-su-co.md', 'english.md']) {
      assert.ok(pages.includes(required), `docs/guide/${required} exists`);
    }
    const { appLinks, images, pageLinks } = guideReferences();
    assert.ok(appLinks.length >= 20 && images.length >= 30, `the guide links to app pages (${appLinks.length}) and shows pictures (${images.length})`);

    for (const image of images) {
      const name = image.target.replace(/^images\//, '').replace(/\.png$/, '');
      assert.ok(camera.written.has(name), `${image.file}: ${image.target} is not a picture this test takes`);
    }
    for (const link of pageLinks) {
      const [file, anchor] = link.target.split('#') as [string, string | undefined];
      const page = file || link.file;
      assert.ok(pages.includes(page), `${link.file}: link to a missing guide page ${link.target}`);
      if (anchor) assert.ok(anchorsOf(page).has(anchor), `${link.file}: ${page} has no anchor "${anchor}"`);
    }

    // Each linked path must open a real page for at least one demo account: the app's
    // "not found" page anywhere fails, as does a page nobody may open.
    const accounts = [cast.principal, cast.admin, cast.homeroom, cast.teacher, cast.clerk, cast.departmentHead, cast.student];
    const paths = [...new Set(appLinks.map((l) => l.target.split('#')[0]!))];
    for (const path of paths) {
      const where = appLinks.filter((l) => l.target.startsWith(path)).map((l) => l.file).join(', ');
      if (path.startsWith('/verify')) {
        const page = contexts.get('(public)')!.pages()[0]!;
        await open(page, path);
        await page.getByTestId('verify-title').waitFor();
        continue;
      }
      let shown = false;
      for (const username of accounts) {
        const page = await as(username);
        await open(page, path);
        const error = await errorShown(page);
        assert.notEqual(error, '404', `${where}: ${path} is not a page of the app (${username} sees "not found")`);
        if (error === null) {
          shown = true;
          break;
        }
      }
      assert.ok(shown, `${where}: no demo account may open ${path}`);
    }
  });
});
