/**
 * NHI numbers (HISO 10046:2023): the old AAANNNC format with its mod-11 check digit and the new
 * AAANNAX format with its mod-23 check letter, letters never I or O, read in any case.
 */
import { describe, expect, it } from 'vitest';
import { checkNhi, looksLikeNhi, nhiCheckCharacter } from './nhi';

describe('checkNhi', () => {
  it.each(['ZAC5361', 'JBX3656', 'ZZZ0016', 'ZZZ0024', 'ZAA0067', 'ZAA0156'])(
    'accepts the old-format NHI %s',
    (nhi) => {
      expect(checkNhi(nhi)).toEqual({ valid: true, normalised: nhi });
    },
  );

  it('accepts an old-format NHI whose check value of 10 is written 0', () => {
    // Z A A 0 1 3: 24*7 + 1*6 + 1*5 + 0*4 + 1*3 + 3*2 = 188; 188 mod 11 = 1; 11 - 1 = 10, written 0.
    expect(checkNhi('ZAA0130')).toEqual({ valid: true, normalised: 'ZAA0130' });
  });

  it.each(['ZBN77VL', 'ZZZ00AC', 'ZDR69YX', 'ZSC21TN', 'ZHW58CV', 'ZYZ81ZV', 'ZRA29VA'])(
    'accepts the new-format NHI %s',
    (nhi) => {
      expect(checkNhi(nhi)).toEqual({ valid: true, normalised: nhi });
    },
  );

  it('reads lower case and surrounding spaces, and gives the NHI upper-cased and trimmed', () => {
    expect(checkNhi(' zbn77vl ')).toEqual({ valid: true, normalised: 'ZBN77VL' });
    expect(checkNhi('zAc5361')).toEqual({ valid: true, normalised: 'ZAC5361' });
    expect(checkNhi('\tzzz00ac\n')).toEqual({ valid: true, normalised: 'ZZZ00AC' });
  });

  it('refuses every old-format check digit but the right one', () => {
    for (const digit of '023456789') {
      expect(checkNhi(`ZAC536${digit}`).problem, `ZAC536${digit}`).toBe('check');
    }
  });

  it('refuses every new-format check letter but the right one', () => {
    for (const letter of 'ABCDEFGHJKLMNPQRSTUWXYZ') {
      expect(checkNhi(`ZHW58C${letter}`).problem, `ZHW58C${letter}`).toBe('check');
    }
  });

  it('refuses any old-format NHI whose first six characters give no check digit (remainder 0)', () => {
    // Z Z Z 0 0 4: 24*7 + 24*6 + 24*5 + 0 + 0 + 4*2 = 440 = 40 * 11.
    for (const digit of '0123456789') {
      expect(checkNhi(`ZZZ004${digit}`).problem, `ZZZ004${digit}`).toBe('check');
    }
  });

  it('says which characters are wrong in plain words, naming the NHI', () => {
    expect(checkNhi('zac5362')).toEqual({
      valid: false,
      normalised: 'ZAC5362',
      problem: 'check',
      message: 'ZAC5362 is not a valid NHI: its check character does not match. Check for a typing mistake.',
    });
  });

  it('refuses an empty or blank value as empty', () => {
    expect(checkNhi('')).toEqual({ valid: false, normalised: '', problem: 'empty', message: 'Enter an NHI.' });
    expect(checkNhi('   ')).toMatchObject({ valid: false, normalised: '', problem: 'empty' });
  });

  it.each(['ZAC536', 'ZAC53612', 'Z', 'ZAC 5361'])('refuses %j for its length', (value) => {
    const checked = checkNhi(value);
    expect(checked).toMatchObject({ valid: false, problem: 'length' });
    expect(checked.message).toBe('An NHI has 7 characters, like ZAC5361 or ZBN77VL.');
  });

  it.each([
    ['I as a letter (old format)', 'ZIC5361'],
    ['O as a letter (old format)', 'OAC5361'],
    ['I as the fifth letter (new format)', 'ZZZ00IC'],
    ['O as the check letter (new format)', 'ZZZ00AO'],
    ['a digit among the first three', 'Z1C5361'],
    ['a letter among the digits', 'ZACA361'],
    ['one digit then three letters', 'ZAC5ABC'],
    ['a digit where the new format has its fifth letter', 'ZAC53A1'],
    ['punctuation', 'ZAC-361'],
    ['a non-ASCII letter', 'ZĀC5361'],
  ])('refuses %s as the wrong format', (_what, value) => {
    const checked = checkNhi(value);
    expect(checked).toMatchObject({ valid: false, problem: 'format' });
    expect(checked.message).toBe('An NHI is 3 letters (not I or O), then 4 digits or 2 digits and 2 letters.');
  });
});

describe('nhiCheckCharacter', () => {
  it('gives the check digit of the old format and the check letter of the new, in any case', () => {
    expect(nhiCheckCharacter('ZAC536')).toBe('1');
    expect(nhiCheckCharacter('ZAA013')).toBe('0');
    expect(nhiCheckCharacter('ZBN77V')).toBe('L');
    expect(nhiCheckCharacter('zbn77v')).toBe('L');
    expect(nhiCheckCharacter('ZHW58C')).toBe('V');
  });

  it('gives nothing for first six characters that cannot carry a check character', () => {
    expect(nhiCheckCharacter('ZZZ004')).toBeUndefined();
    for (const value of ['ZAC53', 'ZAC5361', 'ZIC536', 'ZAC5A6', '']) {
      expect(nhiCheckCharacter(value), value).toBeUndefined();
    }
  });

  it('completes first six characters of either format into an NHI checkNhi accepts', () => {
    for (const six of ['ABC123', 'XYZ999', 'HJK10A', 'ZZZ99Z', 'MNP00P']) {
      const check = nhiCheckCharacter(six);
      expect(check, six).toMatch(/^[0-9A-HJ-NP-Z]$/);
      expect(checkNhi(`${six}${check}`).valid, `${six}${check}`).toBe(true);
    }
  });
});

describe('looksLikeNhi', () => {
  it('is true for the shape of an NHI in either format, valid or not, in any case', () => {
    for (const value of ['ZAC5361', 'ZAC5362', 'zbn77vl', ' ZBN77VL ', 'ZIO5361']) {
      expect(looksLikeNhi(value), value).toBe(true);
    }
  });

  it('is false for names, numbers and NHIs of the wrong length', () => {
    for (const value of ['Smith', 'Ngātai', '1234567', 'ZAC536', 'ZAC53611', 'ZA C5361', '', 'ZAC-361']) {
      expect(looksLikeNhi(value), value).toBe(false);
    }
  });
});
