import { describe, expect, it } from 'vitest';
import { interpretPatientSearch } from './patientQueries';

describe('interpretPatientSearch', () => {
  it.each([
    ['ZAC5361', { kind: 'nhi', value: 'ZAC5361' }],
    [' zbn77vl ', { kind: 'nhi', value: 'ZBN77VL' }],
    ['ZAC 5361', { kind: 'nhi', value: 'ZAC5361' }],
    ['zbn 77 vl', { kind: 'nhi', value: 'ZBN77VL' }],
    ['ZAC-5361', { kind: 'nhi', value: 'ZAC5361' }],
    ['O’Brien', { kind: 'name', value: 'O’Brien' }],
    ['obrien', { kind: 'name', value: 'obrien' }],
    ['19/7/1984', { kind: 'birthdate', value: '1984-07-19' }],
    ['1984-07-19', { kind: 'birthdate', value: '1984-07-19' }],
    ['Te  Rangi', { kind: 'name', value: 'Te Rangi' }],
    ['a', { kind: 'none' }],
    ['', { kind: 'none' }],
  ])('reads %j as %j', (input, expected) => {
    expect(interpretPatientSearch(input)).toEqual(expected);
  });

  it.each([
    ['ZAC5362', /check character does not match/],
    ['31/02/1990', /not a real date/],
    ['12/1990', /day\/month\/year/],
  ])('refuses %j and says why', (input, message) => {
    const term = interpretPatientSearch(input);
    expect(term.kind).toBe('invalid');
    expect(term.kind === 'invalid' && term.message).toMatch(message);
  });
});
