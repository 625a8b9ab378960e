/**
 * Page objects for the grade book: the grade sheet grid (cells by row and column id:
 * tx1…txn, gk, ck, avg, comment) and its actions. Cells are found by `data-testid`.
 */
import type { Locator, Page } from 'playwright-core';

const TIMEOUT = 15_000;

export class GradeSheetPage {
  constructor(readonly page: Page) {}

  get heading(): Locator {
    return this.page.getByTestId('grade-sheet-heading');
  }
  get grid(): Locator {
    return this.page.getByTestId('grade-grid');
  }
  get saveStatus(): Locator {
    return this.page.getByTestId('save-status');
  }
  get invalidCells(): Locator {
    return this.page.getByTestId('invalid-cells');
  }
  get editor(): Locator {
    return this.page.getByTestId('cell-editor');
  }
  cell(row: number, column: string): Locator {
    return this.page.getByTestId(`cell-${row}-${column}`);
  }

  async waitUntilShown(): Promise<void> {
    await this.grid.waitFor({ state: 'visible', timeout: TIMEOUT });
  }

  /** Number of regular-assessment columns (TX1…TXn). */
  async regularCount(): Promise<number> {
    return this.page.locator('[data-testid^="col-tx"]').count();
  }

  async rowCount(): Promise<number> {
    return this.page.locator('[data-testid^="grade-row-"]').count();
  }

  /** What a cell shows (the editor's text for the active cell). */
  async text(row: number, column: string): Promise<string> {
    return this.cell(row, column).evaluate((td) => {
      const input = td.querySelector('input');
      return (input ? input.value : (td.textContent ?? '')).trim();
    });
  }

  async state(row: number, column: string): Promise<string | null> {
    return this.cell(row, column).getAttribute('data-state');
  }

  /** Makes a cell active (a click, as a person would). */
  async select(row: number, column: string): Promise<void> {
    await this.cell(row, column).click();
    await this.editor.waitFor({ state: 'visible', timeout: TIMEOUT });
  }

  /** Selects a cell and types into it with the keyboard, then presses `then` (Enter, Tab…). */
  async typeInto(row: number, column: string, text: string, then = 'Enter'): Promise<void> {
    await this.select(row, column);
    await this.page.keyboard.type(text);
    await this.page.keyboard.press(then);
  }

  /** Types values one after the other, pressing Tab between them (like entering a row in Excel), Enter at the end. */
  async typeAcross(row: number, column: string, values: string[]): Promise<void> {
    await this.select(row, column);
    for (const [i, value] of values.entries()) {
      await this.page.keyboard.type(value);
      await this.page.keyboard.press(i === values.length - 1 ? 'Enter' : 'Tab');
    }
  }

  /** Pastes text (tab/newline separated, as Excel puts it on the clipboard) into the active cell. */
  async paste(row: number, column: string, text: string): Promise<void> {
    await this.select(row, column);
    await this.editor.evaluate((input, data) => {
      const transfer = new DataTransfer();
      transfer.setData('text/plain', data);
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, text);
  }

  /** Waits for "Đã lưu": every cell confirmed by the server. */
  async waitSaved(timeout = 30_000): Promise<void> {
    await this.page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ state: 'visible', timeout });
  }

  async submit(): Promise<void> {
    await this.page.getByTestId('submit-sheet').click();
    await this.page.getByTestId('submit-confirm').click();
    await this.page.getByTestId('sheet-locked').waitFor({ state: 'visible', timeout: TIMEOUT });
  }

  /** With a cell selected on a locked sheet: asks to change it to `value`, for `reason`. */
  async requestChange(row: number, column: string, value: string, reason: string): Promise<void> {
    await this.select(row, column);
    await this.page.getByTestId('request-change').click();
    const modal = this.page.getByTestId('change-request-form');
    await modal.waitFor({ state: 'visible', timeout: TIMEOUT });
    await modal.getByTestId('change-value-input').fill(value);
    await modal.getByTestId('change-request-reason').fill(reason);
    await this.page.getByTestId('change-request-send').click();
    await modal.waitFor({ state: 'hidden', timeout: TIMEOUT });
  }

  async openHistory(): Promise<Locator> {
    await this.page.getByTestId('sheet-history').click();
    const drawer = this.page.getByTestId('history-drawer');
    await drawer.getByTestId('history-entry').first().waitFor({ state: 'visible', timeout: TIMEOUT });
    return drawer;
  }
}

/** "Lớp tôi dạy": opens the sheet of a class and subject for a semester. */
export async function openSheetFromMyClasses(page: Page, className: string, subjectName: string, semester: 1 | 2): Promise<void> {
  const table = page.getByTestId('my-classes-table');
  await table.waitFor({ state: 'visible', timeout: TIMEOUT });
  const row = table.locator('tr', { hasText: className }).filter({ hasText: subjectName });
  await row.locator(`a[data-testid^="open-sheet-"][data-testid$="-${semester}"]`).first().click();
}

/** ĐTBmhk = (ΣTX + 2·GK + 3·CK) / (n + 5), half up to one decimal, in exact integer arithmetic; "7,8". */
export function expectedAverage(regular: number[], midterm: number, final: number): string {
  const tenths = (mark: number) => Math.round(mark * 10);
  const sum = regular.reduce((s, m) => s + tenths(m), 0) + 2 * tenths(midterm) + 3 * tenths(final);
  const weights = regular.length + 5;
  const avg = Math.floor((2 * sum + weights) / (2 * weights));
  return `${Math.floor(avg / 10)},${avg % 10}`;
}
