/** Dates of birth typed day first, as New Zealanders write them, and the messages for impossible ones. */
import { describe, expect, it } from 'vitest';
import { readBirthDate, writtenNzDate } from './birthDate';

const TODAY = '2026-11-30';

describe('readBirthDate', () => {
  it.each([
    ['19/07/1984', '1984-07-19'],
    ['19/7/1984', '1984-07-19'],
    ['1/2/2000', '2000-02-01'],
    ['19.07.1984', '1984-07-19'],
    ['19-07-1984', '1984-07-19'],
    [' 19/07/1984 ', '1984-07-19'],
    ['1984-07-19', '1984-07-19'],
    ['29/02/2000', '2000-02-29'],
    ['30/11/2026', '2026-11-30'],
  ])('reads %s as %s', (typed, birthDate) => {
    expect(readBirthDate(typed, TODAY)).toEqual({ birthDate });
  });

  it('asks for the date when nothing was typed', () => {
    expect(readBirthDate('  ', TODAY)).toEqual({ problem: 'Enter your date of birth, like 19/07/1984.' });
  });

  it.each(['19071984', '19/07/84', 'July 19 1984', '19/07/1984/1', '1984/07/19'])(
    'asks for day, month and year in that order for %s',
    (typed) => {
      expect(readBirthDate(typed, TODAY)).toEqual({
        problem: 'Type your date of birth as day, month and year, like 19/07/1984.',
      });
    },
  );

  it('says the month comes second when the month typed cannot be one (month first, as in the US)', () => {
    expect(readBirthDate('07/19/1984', TODAY)).toEqual({
      problem: '07/19/1984 has no month 19. Type the day first, then the month: 19/07/1984.',
    });
    expect(readBirthDate('1/0/1984', TODAY)).toMatchObject({ problem: expect.stringMatching(/has no month 0\./) });
  });

  it('says how many days the month has for a day it does not have', () => {
    expect(readBirthDate('31/02/1984', TODAY)).toEqual({
      problem: '31/02/1984 is not a date: February 1984 has 29 days.',
    });
    expect(readBirthDate('29/02/1985', TODAY)).toEqual({
      problem: '29/02/1985 is not a date: February 1985 has 28 days.',
    });
    expect(readBirthDate('31/04/1990', TODAY)).toEqual({
      problem: '31/04/1990 is not a date: April 1990 has 30 days.',
    });
    expect(readBirthDate('0/04/1990', TODAY)).toMatchObject({ problem: expect.stringMatching(/has 30 days/) });
  });

  it('refuses a date after the latest one anyone can have been born on', () => {
    expect(readBirthDate('01/12/2026', TODAY)).toEqual({ problem: '01/12/2026 is in the future. Check the year.' });
  });
});

describe('writtenNzDate', () => {
  it('writes a date day first, as readBirthDate reads it back', () => {
    expect(writtenNzDate('1984-07-19')).toBe('19/07/1984');
    expect(readBirthDate(writtenNzDate('2000-02-01'), TODAY)).toEqual({ birthDate: '2000-02-01' });
  });
});
