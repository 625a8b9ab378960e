/** Dates for display: dd/mm/yyyy (the Vietnamese habit, used in both languages for clarity). */
import dayjs from 'dayjs';

/** `YYYY-MM-DD` → `dd/mm/yyyy`; anything unparsable is shown as given. */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match) return `${match[3]}/${match[2]}/${match[1]}`;
  const parsed = dayjs(isoDate);
  return parsed.isValid() ? parsed.format('DD/MM/YYYY') : isoDate;
}

/** An ISO timestamp in the browser's time zone: `dd/mm/yyyy HH:mm:ss`. */
export function formatDateTime(isoTimestamp: string | null | undefined): string {
  if (!isoTimestamp) return '';
  const parsed = dayjs(isoTimestamp);
  return parsed.isValid() ? parsed.format('DD/MM/YYYY HH:mm:ss') : isoTimestamp;
}
