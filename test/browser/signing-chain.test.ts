/**
 * The whole signing chain in the browser on one frozen class with the demo's server-held
 * keys (issued by `hocba serve` itself for a demo school): two subject teachers batch-sign
 * their rows, the homeroom teacher signs the class, the principal returns one record from
 * its timeline and records a delegation in the UI, the vice principal signs under it (the
 * returned record is refused with the server's reason), the clerk seals everything
 * approved. The signed XML and the sealed PDF downloaded from the record viewer pass
 * xmlsec1 (every signature) and pdfsig (valid and trusted).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { roleGrants, schools, staff } from '../../src/db/schema.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';
import { pdfsigRunner } from '../../src/signing/validation/testing.ts';
import { readXadesSignatures } from '../../src/signing/xades/index.ts';
import { xmlsec1Verifier } from '../../src/signing/xades/testing.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from '../helpers/factories.ts';
import { toolSkip } from '../helpers/test-pki.ts';
import { newContext } from './helpers/browser.ts';
import { LoginPage } from './helpers/pages.ts';
import { usePlatform } from './helpers/platform.ts';
import { screenshot } from './helpers/screenshots.ts';

const TIMEOUT = 30_000;
const HBS = 'urn:hocba:hbs:1';
const skipTools = toolSkip('xmlsec1', 'pdfsig', 'certutil');

describe('signing in the browser: the full chain with demo keys', { timeout: 900_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hocba-signing-ui-'));
  const dl = mkdtempSync(join(tmpdir(), 'hocba-signing-dl-'));
  let school: TestSchool;
  const platform = usePlatform({
    serverEnv: async () => {
      const database = await openDatabase({ dataDir });
      try {
        school = await makeSchool(database, 'sig');
        await inSystem(database.db, async (tx) => {
          // A demo school: `hocba serve` issues TEST certificates (server-held keys) for its signers.
          await tx.update(schools).set({ isDemo: true }).where(eq(schools.id, school.schoolId));
          await tx.insert(staff).values([
            { schoolId: school.schoolId, fullName: 'Trần Thị Văn', userId: school.users.department_head.id },
            { schoolId: school.schoolId, fullName: 'Nguyễn Văn Hiệu', userId: school.users.principal.id },
            { schoolId: school.schoolId, fullName: 'Lê Thị Phó', userId: school.users.vice_principal.id },
            { schoolId: school.schoolId, fullName: 'Phạm Văn Thư', userId: school.users.clerk.id },
          ]);
          await tx.insert(roleGrants).values({ userId: school.users.department_head.id, schoolId: school.schoolId, role: 'subject_teacher' });
        });
        const report = await completeAndFreezeClass({ db: database.db, schoolId: school.schoolId, classId: school.classId, studentIds: school.studentIds.slice(0, 3), teacherUserId: school.users.department_head.id, homeroomUserId: school.users.homeroom_teacher.id });
        assert.equal(report.frozen.length, 3, JSON.stringify(report.blocked));
      } finally {
        await database.close();
      }
      return { DATA_DIR: dataDir };
    },
  });
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dl, { recursive: true, force: true });
  });

  async function asUser(role: keyof TestSchool['users'], fn: (page: Page) => Promise<void>) {
    const context = await newContext(platform.browser, platform.server.url);
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    try {
      const login = await new LoginPage(page).open();
      await login.signIn(school.users[role].username, TEST_PASSWORD);
      await page.getByTestId('home-heading').waitFor();
      await fn(page);
    } finally {
      await context.close();
    }
  }

  /** The signing page → pick the step → select 10A1 (or a wide target) → prepare → password → sign. */
  async function signClass(page: Page, opts: { step?: string; wide?: string; expect: RegExp; shot?: string }) {
    await page.getByTestId('nav-signing').click();
    await page.getByTestId('to-sign-table').waitFor();
    if (opts.step) await page.getByTestId('signing-step').getByText(opts.step).click();
    if (opts.wide) await page.getByTestId(opts.wide).click();
    else {
      await page.getByTestId('to-sign-row-10A1').locator('input[type=checkbox]').check();
      if (opts.shot) await screenshot(page, `${opts.shot}-to-sign`, { fullPage: true });
      await page.getByTestId('signing-prepare').click();
    }
    await page.getByTestId('batch-panel').waitFor();
    await page.getByTestId('signing-password').fill(TEST_PASSWORD);
    await page.getByTestId('signing-run').click();
    await page
      .getByTestId('batch-counts')
      .filter({ hasText: opts.expect })
      .waitFor({ timeout: 180_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, 'signing-failure', { fullPage: true });
        throw e;
      });
    if (opts.shot) await screenshot(page, `${opts.shot}-batch`, { fullPage: true });
  }

  test('subject teachers → homeroom → return → delegation → vice principal → seal; xmlsec1 and pdfsig', { skip: skipTools }, async (t) => {
    if (platform.skipReason) return t.skip(platform.skipReason);
    // `serve` issues the demo certificates after it starts listening.
    for (let i = 0; !/issued and registered \d+ TEST certificates/.test(platform.server.output()); i++) {
      assert.ok(i < 600, `no demo certificates:\n${platform.server.output()}`);
      await sleep(100);
    }
    const [a, , c] = school.studentIds as [string, string, string];

    await asUser('subject_teacher', async (page) => {
      await signClass(page, { expect: /Đã ký 3\/3 · lỗi 0 · từ chối 0/, shot: 'signing-subject' });
      // The agent method without an agent: a clear message how to start it (nothing listens on this port).
      await page.getByTestId('batch-close').click();
      await page.getByTestId('recent-batches').getByRole('button').first().click();
      await page.getByTestId('batch-panel').waitFor();
      assert.equal(await page.getByTestId('signing-method').count(), 0, 'nothing left to sign in a finished batch');
    });
    await asUser('department_head', async (page) => {
      await signClass(page, { expect: /Đã ký 15\/15/ });
    });
    await asUser('homeroom_teacher', async (page) => {
      await page.goto(`/homeroom/${school.classId}`);
      await page.getByTestId('homeroom-sign').click();
      await signClass(page, { expect: /Đã ký 3\/3/, shot: 'signing-homeroom' });
    });

    await asUser('principal', async (page) => {
      // Return record c from its signature timeline (a later signer).
      await page.goto(`/classes/${school.classId}`);
      await page.getByTestId(`record-view-${c}`).click();
      const timeline = page.getByTestId('signature-timeline');
      await timeline.getByTestId('timeline-sig-homeroom').waitFor();
      assert.equal(await timeline.locator('[data-testid^="timeline-sig-"]').count(), 7, 'six subject rows by two teachers + homeroom');
      await page.getByTestId('timeline-return').click();
      await page.getByTestId('return-reason').fill('Sai điểm môn Toán học kì 2, đề nghị sửa lại.');
      await page.getByRole('button', { name: 'Trả lại học bạ' }).last().click();
      await page.getByTestId('timeline-returned').waitFor();
      await screenshot(page, 'signing-timeline-returned');

      // A delegation to the vice principal for grade 10, from yesterday for a month.
      await page.goto('/delegations');
      await page.getByTestId('delegation-form').waitFor();
      await page.getByTestId('delegation-delegate').click();
      await page.getByTitle('Lê Thị Phó').click();
      await page.getByTestId('delegation-decision').fill('15/QĐ-THPT');
      const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
      await page.getByTestId('delegation-from').fill(day(-1));
      await page.getByTestId('delegation-to').fill(day(30));
      await page.getByTestId('delegation-grades').getByText('10', { exact: true }).click();
      await page.getByTestId('delegation-submit').click();
      await page.getByTestId('delegation-created').waitFor();
      await page.getByTestId('delegations-table').getByText('15/QĐ-THPT').waitFor();
      await screenshot(page, 'signing-delegations', { fullPage: true });
    });

    await asUser('vice_principal', async (page) => {
      await page.getByTestId('nav-signing').click();
      await page.getByTestId('to-sign-row-10A1').locator('input[type=checkbox]').check();
      await page.getByTestId('signing-prepare').click();
      // The returned record is refused with the server's Vietnamese reason.
      await page.getByTestId(`batch-refused`).waitFor();
      const refusedText = (await page.getByTestId('batch-refused').textContent()) ?? '';
      assert.match(refusedText, /Không ký được \(1\)/);
      await page.getByTestId('method-agent').click();
      await page.getByTestId('agent-url').fill('http://127.0.0.1:9');
      await page.getByTestId('agent-check').click();
      await page.getByTestId('agent-down').waitFor();
      assert.match((await page.getByTestId('agent-down').textContent()) ?? '', /hocba agent --module .* --origin http:\/\/localhost:\d+/);
      await screenshot(page, 'signing-agent-not-running', { fullPage: true });
      await page.getByTestId('method-server').click();
      await page.getByTestId('signing-password').fill(TEST_PASSWORD);
      await page.getByTestId('signing-run').click();
      await page.getByTestId('batch-counts').filter({ hasText: /Đã ký 2\/3 · lỗi 0 · từ chối 1/ }).waitFor({ timeout: 120_000 });
      await screenshot(page, 'signing-vice-principal-batch', { fullPage: true });
    });

    await asUser('clerk', async (page) => {
      await signClass(page, { wide: 'signing-prepare-school', expect: /Đã ký 2\/3 · lỗi 0 · từ chối 1/, shot: 'signing-seal' });
    });

    // The principal downloads the signed XML and the sealed PDF from the viewer.
    let xml = '';
    let pdf: Uint8Array = new Uint8Array();
    await asUser('principal', async (page) => {
      await page.goto(`/classes/${school.classId}`);
      await page.getByTestId(`record-view-${a}`).click();
      const timeline = page.getByTestId('signature-timeline');
      await timeline.getByTestId('timeline-sig-seal').waitFor();
      assert.equal(await page.getByTestId('timeline-return').count(), 0, 'a sealed record cannot be returned');
      assert.match((await timeline.getByTestId('timeline-sig-principal').textContent()) ?? '', /Lê Thị Phó/);
      await timeline.scrollIntoViewIfNeeded();
      await screenshot(page, 'signing-timeline-sealed');
      for (const [id, name] of [['timeline-signed-xml', 'signed.xml'], ['timeline-sealed-pdf', 'sealed.pdf']] as const) {
        // A sealed record's copy asks for the reason it is issued (logged: docs/student-access.md).
        await page.getByTestId(id).click();
        await page.getByTestId('copy-reason').fill('Kiểm tra bản đã đóng dấu');
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('copy-reason-ok').click()]);
        await download.saveAs(join(dl, name));
      }
      xml = readFileSync(join(dl, 'signed.xml'), 'utf8');
      pdf = new Uint8Array(readFileSync(join(dl, 'sealed.pdf')));
    });

    const pkiDir = join(dataDir, 'pki');
    const rootPem = readFileSync(join(pkiDir, 'root.crt.pem'), 'utf8');
    const xmlsec = await xmlsec1Verifier({ rootPem, intermediatePems: [readFileSync(join(pkiDir, 'issuing.crt.pem'), 'utf8')], idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS}:${e}`) });
    const pdfsig = await pdfsigRunner(rootPem);
    try {
      const ids = readXadesSignatures(xml).map((s) => s.id);
      assert.equal(ids.length, 9, ids.join(','));
      assert.deepEqual(ids.slice(-3), ['sig-homeroom', 'sig-principal', 'sig-seal']);
      for (const id of ids) {
        const r = await xmlsec.verify(xml, id);
        assert.ok(r.ok, `xmlsec1 ${id}: ${r.output}`);
      }
      const checked = await pdfsig.check(pdf);
      assert.equal(checked.signatures.length, 1, checked.output);
      assert.ok(checked.signatures[0]!.valid && checked.signatures[0]!.trusted, checked.output);
    } finally {
      await xmlsec.close();
      await pdfsig.close();
    }
  });
});
