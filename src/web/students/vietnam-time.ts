/**
 * Deadlines are set in Vietnam time (UTC+7, no daylight saving) whatever the browser's
 * time zone: the server stores instants, the form shows a date and a time in Việt Nam.
 */
const OFFSET_MS = 7 * 60 * 60 * 1000;

/** ISO instant → { date: 'YYYY-MM-DD', time: 'HH:mm' } in Vietnam time. */
export function toVietnamParts(iso: string | null | undefined): { date: string; time: string } | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const shifted = new Date(ms + OFFSET_MS).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

/** Vietnam date + time → ISO instant with the +07:00 offset. */
export function fromVietnamParts(date: string, time: string): string {
  return `${date}T${time}:00+07:00`;
}

/** Today's date in Việt Nam, YYYY-MM-DD. */
export function vietnamToday(now: Date = new Date()): string {
  return new Date(now.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}
