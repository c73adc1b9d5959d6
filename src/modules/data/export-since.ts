/**
 * The `since` filter of `GET /api/data/export`: an RFC 3339 date-time with `Z` or an offset
 * (seconds and fraction optional), or a full date (`YYYY-MM-DD`, midnight UTC). A date-time
 * without an offset is refused: its instant would depend on the server's time zone.
 */
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/** `setUTCFullYear`, not `Date.UTC`, which maps years 0..99 to 1900..1999. */
function utcDate(year: number, month: number, day: number): Date | undefined {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A day the month does not have (02-30) rolls over into the next month.
  const valid = year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date : undefined;
}

function fromDateTime(match: RegExpExecArray): Date | undefined {
  const [, y, mo, d, h, mi, s = '0', fraction = '', zulu, sign, offsetH = '0', offsetM = '0'] = match;
  const [hours, minutes, seconds] = [Number(h), Number(mi), Number(s)];
  if (hours > 23 || minutes > 59 || seconds > 59 || Number(offsetH) > 23 || Number(offsetM) > 59) return undefined;
  const date = utcDate(Number(y), Number(mo), Number(d));
  if (!date) return undefined;
  // Stored times have millisecond precision, so `updatedAt >= since` holds exactly when it
  // holds for `since` rounded up to the next millisecond.
  const millis = Math.ceil(Number(fraction.padEnd(9, '0')) / 1e6);
  const offsetMinutes = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetH) * 60 + Number(offsetM));
  date.setUTCHours(hours, minutes - offsetMinutes, seconds, millis);
  return date;
}

/**
 * The instant a valid `since` names, as an ISO 8601 UTC timestamp with milliseconds (which
 * PostgreSQL reads the same whatever its session time zone); undefined when it is not valid.
 */
export function parseSince(text: string): string | undefined {
  const day = FULL_DATE.exec(text);
  const date = day ? utcDate(Number(day[1]), Number(day[2]), Number(day[3])) : undefined;
  const dateTime = day ? undefined : DATE_TIME.exec(text);
  const instant = date ?? (dateTime ? fromDateTime(dateTime) : undefined);
  if (!instant || Number.isNaN(instant.getTime())) return undefined;
  // The offset may move an instant out of the four-digit years PostgreSQL and ISO strings share.
  const year = instant.getUTCFullYear();
  return year >= 1 && year <= 9999 ? instant.toISOString() : undefined;
}
