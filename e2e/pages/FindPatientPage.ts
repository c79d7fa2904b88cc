import { expect, type Locator, type Page } from '@playwright/test';

/** The receptionist's first screen: one search field for a name, an NHI or a birth date. */
export class FindPatientPage {
  readonly heading: Locator;
  readonly searchField: Locator;
  readonly results: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Find a patient', level: 1 });
    this.searchField = page.getByRole('searchbox', { name: 'Search patients' });
    this.results = page.getByRole('region', { name: 'Patients found' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.heading).toBeVisible();
  }

  async search(text: string): Promise<void> {
    await this.searchField.fill(text);
  }

  /** A result button, named by what it shows: the name, the NHI, the birth date. */
  result(name: string | RegExp): Locator {
    return this.results.getByRole('button', { name });
  }

  async choose(name: string | RegExp): Promise<void> {
    await this.result(name).click();
  }
}
