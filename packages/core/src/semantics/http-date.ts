import { describeValue, PartCopyError } from '../errors/part-copy-error.js';

/**
 * Parses the date forms S3 conditions accept: a Date, an HTTP-date (IMF-fixdate such as
 * `Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete RFC 850 and asctime forms) or ISO 8601.
 * Throws `InvalidArgument` naming the field for anything else.
 */
export function parseHttpDate(value: Date | string, field: string): Date {
  const date = value instanceof Date ? new Date(value.getTime()) : parseDateText(value);
  if (Number.isNaN(date.getTime())) {
    throw new PartCopyError(
      'InvalidArgument',
      `${field}: ${describeValue(value)} is not an HTTP-date or ISO 8601 date`,
    );
  }
  return date;
}

function parseDateText(text: string): Date {
  const value = text.trim();
  const imf = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
  const rfc850 = /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
  const asctime = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;
  if (imf.test(value) || iso.test(value)) return new Date(value);
  if (rfc850.test(value)) return parseRfc850(value);
  if (asctime.test(value)) return new Date(`${value} GMT`);
  return new Date(Number.NaN);
}

// RFC 850 years have two digits; RFC 9110 says a year that looks more than 50 years in the
// future is in the past century.
function parseRfc850(value: string): Date {
  const [, rest = ''] = value.split(', ');
  const [dayMonthYear = '', time = ''] = rest.split(' ');
  const [day, month, yy] = dayMonthYear.split('-');
  const now = new Date().getUTCFullYear();
  let year = 2000 + Number(yy);
  if (year > now + 50) year -= 100;
  return new Date(`${day} ${month} ${year} ${time} GMT`);
}

/** Formats a date as an IMF-fixdate HTTP-date. */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

/** Whole seconds since the epoch: HTTP dates have one-second resolution. */
export function toHttpSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
