import type { Locator, Page } from '@playwright/test';

/** "First available" on the booking screen: filters, then the earliest free times with anyone, grouped by day. */
export class FirstAvailablePanel {
  readonly toggle: Locator;
  readonly location: Locator;
  readonly role: Locator;
  readonly channel: Locator;
  readonly partOfDay: Locator;
  readonly from: Locator;
  readonly results: Locator;
  readonly summary: Locator;

  constructor(page: Page) {
    const main = page.getByRole('main');
    this.toggle = main.getByText(/^First available:/);
    this.location = main.getByRole('combobox', { name: 'Location', exact: true });
    this.role = main.getByRole('combobox', { name: 'Role' });
    this.channel = main.getByRole('combobox', { name: 'Channel' });
    this.partOfDay = main.getByRole('combobox', { name: 'Part of day' });
    this.from = main.getByLabel('From', { exact: true });
    this.results = main.getByRole('region', { name: /^Earliest free times from/ });
    this.summary = this.results.getByRole('status');
  }

  /** The result buttons, earliest first; each is named "9:00 am with Dr … GP Ponsonby Family Health In person". */
  times(): Locator {
    return this.results.getByRole('button');
  }
}
