import { describe, expect, it } from 'vitest';
import { normaliseText, searchWords, withoutApostrophes } from './searchText';

describe('searchWords', () => {
  it("reads a typographic apostrophe as the plain one, so O’Brien and O'Brien are the same word", () => {
    expect(searchWords('O’Brien')).toEqual(["o'brien"]);
    expect(searchWords("O'Brien")).toEqual(["o'brien"]);
    expect(searchWords('Oʼbrien')).toEqual(["o'brien"]);
    expect(searchWords('‘Ofa')).toEqual(['ofa']);
  });

  it('ignores case and diacritics and splits on anything but letters, digits and apostrophes', () => {
    expect(searchWords('Hēmi Te Rangi')).toEqual(['hemi', 'te', 'rangi']);
    expect(searchWords('Harrison-Clarke')).toEqual(['harrison', 'clarke']);
    expect(normaliseText('MĀORI')).toBe('maori');
  });
});

describe('withoutApostrophes', () => {
  it("leaves a word's letters only, so obrien and o'brien meet", () => {
    expect(withoutApostrophes("o'brien")).toBe('obrien');
    expect(withoutApostrophes('obrien')).toBe('obrien');
    expect(withoutApostrophes("'")).toBe('');
  });
});
