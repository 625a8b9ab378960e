/**
 * Signing certificates in the browser against the real server with the demo school (whose
 * signers get TEST certificates right after start): the principal's board lists every signer
 * as valid, with counts as filters and a diacritics-insensitive name search, also on a phone;
 * a teacher sees their demo certificate on the account page and a garbage file is refused
 * with the server's Vietnamese reason (the certificate stays), so is another person's
 * certificate; the teacher pairs with a real local agent (the code it "shows" typed into the
 * page) and registers the token's certificate through it; the clerk sees the seal's and
 * registers it again from a PKCS#12 (made by openssl) so the server holds the seal key.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgentServer } from '../../src/signing/agent/agent-server.ts';
import { softwareSigner } from '../../src/signing/signers/software-signer.ts';
import { PHONE, newContext } from './helpers/browser.ts';
import { DEMO_PASSWORD, parseDemoLogins } from './helpers/demo.ts';
import { AppShell, LoginPage } from './helpers/pages.ts';
import { screenshot } from './helpers/screenshots.ts';
import { usePlatform, type Platform } from './helpers/platform.ts';

/** Wait for the server's "issued and registered N TEST certificates" line (progress is logged). */
async function demoCertificatesIssued(platform: Platform): Promise<number> {
  for (let waited = 0; waited < 120_000; waited += 250) {
    const match = /issued and registered (\d+) TEST certificates/.exec(platform.server.output());
    if (match) return Number(match[1]);
    if (/demo certificates failed/.test(platform.server.output())) break;
    await sleep(250);
  }
  throw new Error(`the demo certificates were not issued:\n${platform.server.output()}`);
}

/** DER blocks of a PEM file (certificate first, then its chain). */
function pemToDers(pem: string): Uint8Array[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}

describe('signing certificates in the browser', { timeout: 300_000 }, () => {
  const platform = usePlatform();
  const { skipReason } = platform;

  test('the principal sees every signer valid on the board, also on a phone', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const issued = await demoCertificatesIssued(platform);
    const principal = parseDemoLogins(platform.server.output()).find((l) => l.role === 'principal');
    assert.ok(principal, 'the demo lists a principal');

    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      await (await new LoginPage(page).open()).signIn(principal.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown(/Trang chủ — Hiệu trưởng/);
      await shell.goTo('certificates');
      await page.getByTestId('board-heading').filter({ hasText: 'Chứng thư số' }).waitFor({ state: 'visible' });
      const table = page.getByTestId('board-table');
      const rows = table.locator('tbody tr.ant-table-row');
      await rows.first().waitFor({ state: 'visible' });

      // Every signer (people and the seal) is valid: "Hợp lệ (N)" is the only standing shown.
      const all = await page.getByTestId('board-filter-all').textContent();
      const total = Number(/\((\d+)\)/.exec(all ?? '')?.[1]);
      assert.ok(total >= 5, `the board lists the signers: ${all}`);
      assert.ok(total <= issued, `no more signers (${total}) than certificates issued (${issued})`);
      const valid = page.getByTestId('board-filter-valid');
      assert.equal(await valid.getAttribute('data-count'), String(total), 'every signer is valid');
      assert.equal(await page.getByTestId('board-filters').locator('[data-testid^="board-filter-"]').count(), 2, 'only "all" and "valid" are shown');
      assert.equal(await rows.count(), total, 'one row per signer');
      const standings = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-standing')));
      assert.deepEqual([...new Set(standings)], ['valid']);
      const text = (await table.textContent()) ?? '';
      assert.match(text, /Con dấu của trường/, 'the seal is a row');
      assert.match(text, /Hiệu trưởng/);
      assert.match(text, /GV bộ môn/);
      assert.match(text, /còn \d+ ngày/, 'days left are shown');
      await screenshot(page, 'certificates-board-vi', { fullPage: true });

      // Search ignores case and diacritics: the principal's name typed without accents finds them.
      const name = (await page.getByTestId('user-name').textContent())?.trim() ?? '';
      assert.ok(name, 'the header shows the principal’s name');
      const plain = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
      await page.getByTestId('board-search').locator('input').fill(plain);
      await table.locator('tbody tr.ant-table-row').filter({ hasText: name }).first().waitFor({ state: 'visible' });
      const found = await rows.count();
      assert.ok(found >= 1 && found < total, `the search narrows the list (${found} of ${total})`);
      await page.getByTestId('board-search').locator('input').fill('không có ai tên này');
      await page.getByText('Không có người ký nào khớp.').waitFor({ state: 'visible' });
    } finally {
      await context.close();
    }

    const phone = await newContext(platform.browser, platform.server.url, { phone: true });
    const small = await phone.newPage();
    try {
      await (await new LoginPage(small).open()).signIn(principal.username, DEMO_PASSWORD);
      const shell = new AppShell(small, { phone: true });
      await shell.waitUntilShown(/Trang chủ — Hiệu trưởng/);
      await shell.goTo('certificates');
      const list = small.getByTestId('board-list');
      await list.locator('[data-standing]').first().waitFor({ state: 'visible' });
      assert.equal(await small.getByTestId('board-table').count(), 0, 'a card list, not a table, on a phone');
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the board fits the phone width (overflow ${overflow}px)`);
      await screenshot(small, 'certificates-board-phone-vi');
    } finally {
      await phone.close();
    }
  });

  test('a teacher sees their demo certificate; a garbage file is refused with the reason', async (t) => {
    if (skipReason) return t.skip(skipReason);
    await demoCertificatesIssued(platform);
    const teacher = parseDemoLogins(platform.server.output()).find((l) => l.role === 'subject_teacher' || l.role === 'homeroom_teacher');
    assert.ok(teacher, 'the demo lists a teacher');

    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      await (await new LoginPage(page).open()).signIn(teacher.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown(/Trang chủ — /);
      const name = (await page.getByTestId('user-name').textContent())?.trim() ?? '';
      await shell.goTo('account');
      const card = page.getByTestId('my-certificate-card');
      await card.getByTestId('my-certificate-details').waitFor({ state: 'visible' });
      assert.equal(await card.getByTestId('my-certificate-standing').getAttribute('data-standing'), 'valid');
      const details = (await card.getByTestId('my-certificate-details').textContent()) ?? '';
      assert.ok(details.includes(name), `the certificate names the teacher "${name}": ${details}`);
      assert.match(details, /THỬ NGHIỆM|TEST/i, 'issued by the demo TEST CA');
      assert.match(details, /Chứng thư thử nghiệm/, 'source: demo');
      assert.match(details, /còn \d+ ngày/);
      await screenshot(page, 'certificates-account-teacher-vi', { fullPage: true });

      await card.locator('input[type=file]').first().setInputFiles({ name: 'khong-phai-chung-thu.cer', mimeType: 'application/pkix-cert', buffer: Buffer.from('đây không phải chứng thư số') });
      const refusal = card.getByTestId('my-certificate-refusal');
      await refusal.waitFor({ state: 'visible' });
      assert.match((await refusal.textContent()) ?? '', /Tệp không phải chứng thư số X\.509 \(DER hoặc PEM\)/);
      // The registered certificate is untouched.
      assert.equal(await card.getByTestId('my-certificate-standing').getAttribute('data-standing'), 'valid');
      await screenshot(page, 'certificates-account-refusal-vi', { fullPage: true });

      // Another person's (valid, trusted) certificate is refused by name.
      const pki = join(platform.server.dataDir, 'pki');
      const principal = parseDemoLogins(platform.server.output()).find((l) => l.role === 'principal')!;
      const otherPem = await readFile(join(pki, 'users', `${principal.username}.crt.pem`));
      await card.locator('input[type=file]').first().setInputFiles({ name: 'hieu-truong.pem', mimeType: 'application/x-pem-file', buffer: otherPem });
      await refusal.filter({ hasText: /không khớp/ }).waitFor({ state: 'visible' });
      assert.match((await refusal.textContent()) ?? '', new RegExp(`không khớp với .*"${name}"`));

      // The USB token through a real local agent (software key standing in for the token).
      const chain = pemToDers(await readFile(join(pki, 'users', `${teacher.username}.crt.pem`), 'utf8'));
      const codes: string[] = [];
      const agent = await startAgentServer({
        signer: softwareSigner({ privateKey: await readFile(join(pki, 'users', `${teacher.username}.key.pem`), 'utf8'), chain, description: 'test token' }),
        allowedOrigins: [new URL(page.url()).origin],
        confirm: async () => false,
        showPairingCode: (code) => codes.push(code),
      });
      try {
        await card.getByRole('tab', { name: 'Đọc từ USB token' }).click();
        const port = card.getByTestId('certificate-agent-port');
        await port.fill(String(agent.port));
        await card.getByTestId('certificate-agent-connect').click();
        await card.locator('[data-testid="certificate-agent-code"], [data-testid="certificate-agent-problem"]').first().waitFor({ state: 'visible' });
        const problem = card.getByTestId('certificate-agent-problem');
        if ((await problem.count()) > 0) assert.fail(`the page cannot reach the agent: ${await problem.textContent()}`);
        assert.equal(codes.length, 1, 'the agent showed one pairing code');
        await card.getByTestId('certificate-agent-code').fill(codes[0]!.toLowerCase());
        await card.getByRole('button', { name: 'Ghép nối' }).click();
        await card.getByText(/Đã ghép nối với chương trình ký số \(test token\)/).waitFor({ state: 'visible' });
        await screenshot(page, 'certificates-account-agent-paired-vi');
        await card.getByTestId('certificate-agent-read').click();
        await page.getByText('Đã đăng ký chứng thư số.').first().waitFor({ state: 'visible' });
        await refusal.waitFor({ state: 'hidden' });
        assert.equal(await card.getByTestId('my-certificate-standing').getAttribute('data-standing'), 'valid');
        // Same certificate, now from the token: registered anew (no server key), the demo row replaced.
        await card.getByTestId('my-certificate-details').getByText('USB token').waitFor({ state: 'visible' });
        assert.doesNotMatch((await card.getByTestId('my-certificate-details').textContent()) ?? '', /Máy chủ giữ khoá/);
        await card.getByText('Chứng thư trước đây (1)').click();
        await card.getByText('Đã thay').waitFor({ state: 'visible' });
      } finally {
        await agent.close();
      }

      // On a phone the card fits the width (long subjects and fingerprints wrap).
      await page.setViewportSize(PHONE);
      await card.getByTestId('my-certificate-details').waitFor({ state: 'visible' });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the account page fits the phone width (overflow ${overflow}px)`);
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, 'certificates-account-phone-vi');
    } finally {
      await context.close();
    }
  });

  test('the clerk sees the seal certificate in school settings', async (t) => {
    if (skipReason) return t.skip(skipReason);
    await demoCertificatesIssued(platform);
    const clerk = parseDemoLogins(platform.server.output()).find((l) => l.role === 'clerk');
    assert.ok(clerk, 'the demo lists a clerk');

    const context = await newContext(platform.browser, platform.server.url);
    const page = await context.newPage();
    try {
      await (await new LoginPage(page).open()).signIn(clerk.username, DEMO_PASSWORD);
      const shell = new AppShell(page);
      await shell.waitUntilShown('Trang chủ — Văn thư');
      // The board is for leadership and the school administrator, not the clerk.
      assert.equal(await page.getByTestId('nav-certificates').count(), 0);
      await shell.goTo('school-settings');
      const card = page.getByTestId('seal-certificate-card');
      await card.getByTestId('seal-certificate-details').waitFor({ state: 'visible' });
      assert.equal(await card.getByTestId('seal-certificate-standing').getAttribute('data-standing'), 'valid');
      const school = (await page.getByTestId('school-name').textContent())?.trim() ?? '';
      assert.ok(((await card.getByTestId('seal-certificate-details').textContent()) ?? '').includes(school), `the seal certificate names "${school}"`);
      await card.getByRole('tab', { name: /PKCS#12/ }).click();
      await card.getByTestId('seal-certificate-pkcs12-submit').waitFor({ state: 'visible' });
      await screenshot(page, 'certificates-seal-clerk-vi', { fullPage: true });

      // The same seal certificate and key as a PKCS#12 written by openssl: wrong password refused, right one registers.
      const pki = join(platform.server.dataDir, 'pki');
      const index = JSON.parse(await readFile(join(pki, 'index.json'), 'utf8')) as { seals: Record<string, { certificate: string; privateKey: string; subject: string }> };
      const entry = Object.values(index.seals).find((e) => e.subject.includes(school));
      assert.ok(entry, `the demo PKI has a seal for ${school}`);
      const tmp = await mkdtemp(join(tmpdir(), 'hocba-p12-'));
      try {
        const out = join(tmp, 'seal.p12');
        const made = spawnSync('openssl', ['pkcs12', '-export', '-inkey', join(pki, entry.privateKey), '-in', join(pki, entry.certificate), '-passout', 'pass:MatKhau-123', '-out', out], { encoding: 'utf8' });
        if (made.error && !process.env.CI) return t.skip('openssl is not installed');
        assert.equal(made.status, 0, `openssl pkcs12 -export: ${made.stderr}`);
        const p12 = await readFile(out);
        await card.getByTestId('seal-certificate-pkcs12-file').locator('xpath=ancestor::span[contains(@class,"ant-upload")]').locator('input[type=file]').setInputFiles({ name: 'con-dau.p12', mimeType: 'application/x-pkcs12', buffer: p12 });
        await card.getByText('con-dau.p12').waitFor({ state: 'visible' });
        await card.getByTestId('seal-certificate-pkcs12-password').fill('sai mật khẩu');
        await card.getByTestId('seal-certificate-pkcs12-submit').click();
        const refusal = card.getByTestId('seal-certificate-refusal');
        await refusal.waitFor({ state: 'visible' });
        const refused = (await refusal.textContent()) ?? '';
        assert.doesNotMatch(refused, /sai mật khẩu/, 'the password is never echoed');
        await card.getByTestId('seal-certificate-pkcs12-password').fill('MatKhau-123');
        await card.getByTestId('seal-certificate-pkcs12-submit').click();
        await page.getByText('Đã đăng ký chứng thư số.').first().waitFor({ state: 'visible' });
        await card.getByTestId('seal-certificate-details').getByText('PKCS#12 trên máy chủ').waitFor({ state: 'visible' });
        assert.equal(await card.getByTestId('seal-certificate-standing').getAttribute('data-standing'), 'valid');
        assert.equal(await card.getByTestId('seal-certificate-pkcs12-password').inputValue(), '', 'the password is cleared after use');
        t.diagnostic(`wrong PKCS#12 password refused with: ${refused}`);
        await screenshot(page, 'certificates-seal-pkcs12-vi', { fullPage: true });
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    } finally {
      await context.close();
    }
  });
});
