import type { Locator, Page } from '@playwright/test';

/** What every signed-in screen has around it: who is signed in, the main navigation, the chosen patient. */
export class AppShell {
  readonly account: Locator;
  readonly signOutButton: Locator;
  readonly mainNavigation: Locator;
  readonly patientBanner: Locator;

  constructor(page: Page) {
    this.account = page.getByText(/^Signed in as /);
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
    this.mainNavigation = page.getByRole('navigation', { name: 'Main' });
    this.patientBanner = page.getByRole('region', { name: 'Patient' });
  }

  link(name: string): Locator {
    return this.mainNavigation.getByRole('link', { name });
  }
}
