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
