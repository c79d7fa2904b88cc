import { expect, type Locator, type Page } from '@playwright/test';
import { expectFact } from './facts';

export interface LaunchOptions {
  /** The FHIR base URL, as an EHR or a user names the server. */
  iss: string;
  scope: string;
  /** An EHR launch's id. */
  launch?: string;
}

/** The fhirclient test app (e2e/support/smartLauncher): its launch page and its redirect page. */
export class SmartLauncherApp {
  readonly heading: Locator;
  readonly launchContext: Locator;
  readonly error: Locator;
  readonly refreshButton: Locator;
  readonly status: Locator;

  constructor(
    private readonly page: Page,
    private readonly origin: string,
  ) {
    this.heading = page.getByRole('heading', { name: 'SMART test launcher', level: 1 });
    this.launchContext = page.getByLabel('Launch context');
    this.error = page.getByRole('alert');
    this.refreshButton = page.getByRole('button', { name: 'Refresh the token' });
    this.status = page.getByRole('status');
  }

  /** Opens the launch page, which sends the browser on to the server's sign-in page. */
  async launch(options: LaunchOptions): Promise<void> {
    const query = new URLSearchParams({ iss: options.iss, scope: options.scope });
    if (options.launch) query.set('launch', options.launch);
    await this.page.goto(`${this.origin}/launch.html?${query.toString()}`);
  }

  /** Waits for the redirect page to have finished: the button is enabled once every read is done. */
  async expectReady(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.refreshButton).toBeEnabled();
    await expect(this.error).toBeHidden();
  }

  expectFact(term: string, definition: string | RegExp): Promise<void> {
    return expectFact(this.launchContext, term, definition);
  }
}
