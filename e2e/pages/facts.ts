import { expect, type Locator } from '@playwright/test';

/**
 * Asserts one "term: definition" pair of a summary (a <dl>) the way a screen reader hears it: the
 * term followed by its definition in the accessibility tree.
 */
export async function expectFact(summary: Locator, term: string, definition: string | RegExp): Promise<void> {
  const value = typeof definition === 'string' ? JSON.stringify(definition) : definition.toString();
  await expect(summary).toMatchAriaSnapshot(`- term: ${JSON.stringify(term)}\n- definition: ${value}`);
}
