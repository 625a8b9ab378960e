/**
 * Page objects for the student-records pages: the daily register on the homeroom page,
 * the class page's import wizard, the student profile, the data-quality board and the
 * school settings. Elements are found by their `data-testid`.
 */
import type { Locator, Page } from 'playwright-core';

const TIMEOUT = 15_000;

export class AttendancePage {
  constructor(readonly page: Page) {}

  async open(classId: string): Promise<void> {
    await this.page.goto(`/homeroom/${classId}`);
    await this.page.getByTestId('homeroom-heading').waitFor({ timeout: TIMEOUT });
    await this.page.getByRole('tab', { name: 'Sổ điểm danh' }).click();
    await this.table.locator('tbody tr.ant-table-row').first().waitFor({ timeout: TIMEOUT });
  }
  get table(): Locator {
    return this.page.getByTestId('attendance-table');
  }
  cell(studentId: string, session: 1 | 2): Locator {
    return this.page.getByTestId(`attendance-${studentId}-${session}`);
  }
  async status(studentId: string, session: 1 | 2): Promise<string | null> {
    return this.cell(studentId, session).getAttribute('data-status');
  }
  /** Types dd/mm/yyyy into the date picker and waits for that day's register. */
  async pickDate(ddmmyyyy: string, isoDate: string): Promise<void> {
    const done = this.page.waitForResponse((r) => r.url().includes(`/attendance?date=${isoDate}`) && r.request().method() === 'GET', { timeout: TIMEOUT });
    // antd puts the test id on the input itself or on its wrapper depending on the version.
    const input = this.page.locator('input[data-testid="attendance-date"], [data-testid="attendance-date"] input').first();
    await input.click();
    await input.fill(ddmmyyyy);
    await input.press('Enter');
    await done.catch(async (error: unknown) => {
      throw new Error(`the register for ${ddmmyyyy} did not load (input shows "${await input.inputValue()}"): ${String(error)}`);
    });
    await this.page.waitForTimeout(100);
  }
  async save(): Promise<void> {
    await this.page.getByTestId('attendance-save').click();
  }
}

export class ImportWizard {
  constructor(readonly page: Page) {}

  async upload(name: string, buffer: Buffer): Promise<void> {
    await this.page.getByTestId('import-open').click();
    const input = this.page.locator('.ant-modal input[type=file]');
    await input.setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    await this.summary.waitFor({ timeout: 30_000 });
  }
  get summary(): Locator {
    return this.page.getByTestId('import-summary');
  }
  row(n: number): Locator {
    return this.page.getByTestId('import-rows').locator(`tr[data-row="${n}"]`);
  }
  async action(n: number): Promise<string | null> {
    return this.row(n).getAttribute('data-action');
  }
  async problems(n: number): Promise<string[]> {
    return this.row(n).getByTestId('import-problem').allTextContents();
  }
}

export class StudentProfile {
  constructor(readonly page: Page) {}

  async waitUntilShown(): Promise<void> {
    await this.page.getByTestId('student-heading').waitFor({ timeout: TIMEOUT });
  }
  get status(): Locator {
    return this.page.getByTestId('student-status');
  }
  fieldProblems(field: string): Locator {
    return this.page.getByTestId(`profile-field-${field}`).getByTestId('record-problem');
  }
  /** Opens the edit form, fills the given fields (text inputs) and saves. */
  async edit(values: Record<string, string>, reason?: string): Promise<void> {
    await this.page.getByTestId('student-edit').click();
    const form = this.page.getByTestId('student-edit-form');
    await form.waitFor({ timeout: TIMEOUT });
    for (const [field, value] of Object.entries(values)) await form.getByTestId(`field-${field}`).fill(value);
    if (reason) await form.getByTestId('field-reason').fill(reason);
    const saved = this.page.waitForResponse((r) => /\/api\/students\/[^/]+$/.test(r.url()) && r.request().method() === 'PUT');
    await this.page.getByTestId('student-save').click();
    const response = await saved;
    if (!response.ok()) throw new Error(`saving the student failed: ${response.status()} ${await response.text()}`);
    await form.waitFor({ state: 'detached', timeout: TIMEOUT });
  }
}

export class QualityBoard {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/data-quality');
    await this.page.getByTestId('quality-totals').waitFor({ timeout: TIMEOUT });
  }
  async percentClean(className: string): Promise<number> {
    const row = this.page.getByTestId(`quality-class-${className}`);
    await row.waitFor({ timeout: TIMEOUT });
    return Number(await row.getAttribute('data-percent-clean'));
  }
  problemStudents(): Locator {
    return this.page.getByTestId('quality-problems').getByTestId('quality-problem-student');
  }
}
