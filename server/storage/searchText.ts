/**
 * Names are searched by the start of any word, ignoring case and diacritics, so "maori" finds
 * "Māori" and "te r" finds "Te Rangi". Both what is stored and what is asked go through here.
 */
export function normaliseText(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
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
