/**
 * A date of birth as New Zealanders type it: day first, 19/07/1984 (also 19/7/1984, with dots or
 * hyphens). The ISO form (1984-07-19) is read too, for programs that post the sign-in form. An
 * impossible date gets a message that says what is wrong with it, since the usual cause is the
 * month typed first, as on American forms.
 */
import { MONTH_NAMES } from './clinicTime';

export const BIRTH_DATE_EXAMPLE = '19/07/1984';

export type BirthDateReading = { birthDate: string } | { problem: string };

function daysIn(year: number, month: number): number {
  // Day 0 of the next month is the last of this one; UTC, so no zone moves it.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * Reads a typed date of birth. `latestDate` (YYYY-MM-DD) is the last date anyone can have been born on;
 * a later one is refused as a typing mistake.
 */
export function readBirthDate(typed: string, latestDate: string): BirthDateReading {
  const text = typed.trim();
  if (text === '') return { problem: `Enter your date of birth, like ${BIRTH_DATE_EXAMPLE}.` };
  const nz = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const parts = nz ? [nz[3], nz[2], nz[1]] : iso ? [iso[1], iso[2], iso[3]] : undefined;
  if (!parts) return { problem: `Type your date of birth as day, month and year, like ${BIRTH_DATE_EXAMPLE}.` };
  const [year, month, day] = parts.map(Number);
  if (month < 1 || month > 12)
    return { problem: `${text} has no month ${month}. Type the day first, then the month: ${BIRTH_DATE_EXAMPLE}.` };
  const last = daysIn(year, month);
  if (day < 1 || day > last)
    return { problem: `${text} is not a date: ${MONTH_NAMES[month - 1]} ${year} has ${last} days.` };
  const birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (birthDate > latestDate) return { problem: `${text} is in the future. Check the year.` };
  return { birthDate };
}

/** A YYYY-MM-DD date as it is written here, and as the sign-in form reads it: 19/07/1984. */
export function writtenNzDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}
