import { expect, type Locator, type Page } from '@playwright/test';

/** The DOM as far as a focus check needs it (e2e code is type-checked without the DOM library). */
type Focusable = { ownerDocument: { activeElement: unknown } };

/** Presses Tab (as a keyboard user does) until the element has focus; fails if it is not reached. */
export async function tabTo(page: Page, target: Locator, maxPresses = 40): Promise<void> {
  for (let press = 0; press < maxPresses; press++) {
    if (await target.evaluate((element) => (element as unknown as Focusable).ownerDocument.activeElement === element))
      return;
    await page.keyboard.press('Tab');
  }
  await expect(target, `reached by Tab within ${maxPresses} presses`).toBeFocused({ timeout: 1 });
}
