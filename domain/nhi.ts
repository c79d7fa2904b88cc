/**
 * National Health Index numbers (HISO 10046:2023).
 * Old format AAANNNC ends in a mod-11 check digit; the new format AAANNAX (issued from July 2026)
 * ends in a mod-23 check letter. Letters exclude I and O so they cannot be mistaken for 1 and 0.
 */
const NHI_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const OLD_FORMAT = /^[A-HJ-NP-Z]{3}\d{4}$/;
const NEW_FORMAT = /^[A-HJ-NP-Z]{3}\d{2}[A-HJ-NP-Z]{2}$/;
const WEIGHTS = [7, 6, 5, 4, 3, 2];

export type NhiProblem = 'empty' | 'length' | 'format' | 'check';

export interface NhiCheck {
  valid: boolean;
  /** The NHI upper-cased and trimmed, as it should be stored and searched. */
  normalised: string;
  problem?: NhiProblem;
  message?: string;
}

function charValue(char: string): number {
  const letter = NHI_LETTERS.indexOf(char);
  return letter >= 0 ? letter + 1 : Number(char);
}

function weightedSum(firstSix: string): number {
  return [...firstSix].reduce((sum, char, i) => sum + charValue(char) * WEIGHTS[i], 0);
}

/** The check character the first six characters call for, or undefined when none can be valid. */
export function nhiCheckCharacter(firstSix: string): string | undefined {
  const upper = firstSix.toUpperCase();
  if (/^[A-HJ-NP-Z]{3}\d{3}$/.test(upper)) {
    const remainder = weightedSum(upper) % 11;
    if (remainder === 0) return undefined;
    return String((11 - remainder) % 10);
  }
  if (/^[A-HJ-NP-Z]{3}\d{2}[A-HJ-NP-Z]$/.test(upper)) {
    const remainder = weightedSum(upper) % 23;
    if (remainder === 0) return undefined;
    return NHI_LETTERS[23 - remainder - 1];
  }
  return undefined;
}

export function checkNhi(input: string): NhiCheck {
  const normalised = input.trim().toUpperCase();
  if (normalised === '') return { valid: false, normalised, problem: 'empty', message: 'Enter an NHI.' };
  if (normalised.length !== 7) {
    return {
      valid: false,
      normalised,
      problem: 'length',
      message: 'An NHI has 7 characters, like ZAC5361 or ZBN77VL.',
    };
  }
  if (!OLD_FORMAT.test(normalised) && !NEW_FORMAT.test(normalised)) {
    return {
      valid: false,
      normalised,
      problem: 'format',
      message: 'An NHI is 3 letters (not I or O), then 4 digits or 2 digits and 2 letters.',
    };
  }
  if (nhiCheckCharacter(normalised.slice(0, 6)) !== normalised[6]) {
    return {
      valid: false,
      normalised,
      problem: 'check',
      message: `${normalised} is not a valid NHI: its check character does not match. Check for a typing mistake.`,
    };
  }
  return { valid: true, normalised };
}

/** True when the text has the shape of an NHI (valid or not), so a search box can treat it as one. */
export function looksLikeNhi(input: string): boolean {
  return /^[A-Za-z]{3}\d{2}[A-Za-z0-9]{2}$/.test(input.trim());
}
