import { describe, expect, it } from 'vitest';
import { calendarFileFrom, foldLine } from './calendarEvent';

const octets = (text: string) => new Blob([text]).size;

describe('foldLine', () => {
  it('keeps a line of 75 octets whole and folds the 76th onto a continuation line', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
  });

  it('counts octets, not characters, and never splits a macron or an emoji', () => {
    const line = `SUMMARY:${'Ōtāhuhu 🙂 '.repeat(12)}`;
    const pieces = foldLine(line).split('\r\n');
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) expect(octets(piece)).toBeLessThanOrEqual(75);
    expect(pieces.map((piece, index) => (index === 0 ? piece : piece.slice(1))).join('')).toBe(line);
  });
});

describe('calendarFileFrom', () => {
  it("refolds the package's lines and ends each with CRLF", () => {
    expect(calendarFileFrom({ error: null, value: `BEGIN:VCALENDAR\r\nX:${'y'.repeat(80)}\r\nEND:VCALENDAR` })).toBe(
      `BEGIN:VCALENDAR\r\nX:${'y'.repeat(73)}\r\n ${'y'.repeat(7)}\r\nEND:VCALENDAR\r\n`,
    );
  });

  it('says when the package could not make the file', () => {
    expect(() => calendarFileFrom({ error: new Error('start is required'), value: null })).toThrow(
      'The calendar file could not be made: start is required',
    );
  });
});
