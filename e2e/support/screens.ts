/**
 * Every screen a journey reaches is checked the same way: no axe-core violations, and a full-page
 * screenshot kept in the test's output directory, named by the project (390 px phone, 1280 px desk).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

export async function checkScreen(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
  // Kept as a file in the test's output directory, pass or fail (and shown in the HTML report).
  const path = testInfo.outputPath(`${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${testInfo.project.name}.png`);
  const body = await page.screenshot({ path, fullPage: true });
  await testInfo.attach(`${name} (${testInfo.project.name})`, { body, contentType: 'image/png' });
  expect(results.passes.length, `axe-core checked something on "${name}"`).toBeGreaterThan(0);
  // Soft, so one run reports every screen's violations, not only the first screen's.
  expect.soft(found, `axe-core violations on "${name}"`).toEqual([]);
}

/**
 * The same check at 200 % zoom: the browser then lays the page out in half the CSS pixels (WCAG 1.4.4
 * and 1.4.10), so the viewport is halved for the check (to no less than 320 px) and put back after.
 */
export async function checkScreenAtDoubleZoom(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const size = page.viewportSize();
  if (!size) return checkScreen(page, testInfo, `${name} at 200 %`);
  // A phone is already narrow: it is zoomed down to 320 CSS px, the width WCAG 1.4.10 asks content to reflow to.
  await page.setViewportSize({ width: Math.max(320, Math.round(size.width / 2)), height: Math.round(size.height / 2) });
  try {
    await checkScreen(page, testInfo, `${name} at 200 %`);
  } finally {
    await page.setViewportSize(size);
  }
}
