/**
 * Names are searched by the start of any word, ignoring case and diacritics, so "maori" finds
 * "Māori" and "te r" finds "Te Rangi". Both what is stored and what is asked go through here.
 * A typographic apostrophe (’ ‘ ʼ, what phones and word processors type) is the plain one, so
 * "O’Brien" is the word "o'brien" either way; `withoutApostrophes` lets "obrien" find it too.
 */
export function normaliseText(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02BC]/gu, "'")
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/** A word as it is matched when apostrophes are ignored: "o'brien" and "obrien" are both "obrien". */
export function withoutApostrophes(word: string): string {
  return word.replace(/'/g, '');
}

export function searchWords(text: string): string[] {
  return normaliseText(text)
    .split(/[^\p{L}\p{N}']+/u)
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter((word) => word.length > 0);
}

/** Escapes LIKE's wildcards so a search for "50%" means those characters. */
export function likePrefix(word: string): string {
  return `${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
