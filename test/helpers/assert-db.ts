import assert from 'node:assert/strict';

/** Asserts that a database call fails with a message (drizzle wraps the driver's error in `cause`). */
export async function rejectsDb(p: Promise<unknown>, re: RegExp, what?: string): Promise<void> {
  await assert.rejects(p, (err: Error & { cause?: Error }) => {
    const text = `${err.message}\n${err.cause?.message ?? ''}`;
    assert.match(text, re, what);
    return true;
  });
}
