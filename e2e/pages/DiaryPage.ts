import { expect, type Locator, type Page } from '@playwright/test';

/** The clinic's diary: a day at one location, a column per practitioner, free slots as "Book …" buttons. */
export class DiaryPage {
  readonly heading: Locator;
  readonly locationSelect: Locator;
  readonly dayInput: Locator;
  readonly previousDay: Locator;
  readonly nextDay: Locator;
  readonly today: Locator;
  readonly showCancelled: Locator;
  readonly printButton: Locator;
  readonly waiting: Locator;
  readonly daySheet: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Diary', level: 1 });
    this.locationSelect = page.getByLabel('Location');
    this.dayInput = page.getByLabel('Day', { exact: true });
    this.previousDay = page.getByRole('button', { name: 'Previous day' });
    this.nextDay = page.getByRole('button', { name: 'Next day' });
    this.today = page.getByRole('button', { name: 'Today' });
    this.showCancelled = page.getByLabel('Show cancelled');
    this.printButton = page.getByRole('button', { name: 'Print day sheet' });
    this.waiting = page.getByText(/waiting|Nobody waiting/);
    this.daySheet = page.getByRole('region', { name: 'Day sheet' });
  }

  async goto(choice: { location: string; date: string }): Promise<void> {
    await this.page.goto(`/diary?${new URLSearchParams(choice)}`);
    await expect(this.heading).toBeVisible();
  }

  column(practitionerName: string): Locator {
    return this.page.getByRole('region', { name: practitionerName, exact: true });
  }

  /** "Book 9:15 am with Dr …": the free slot's button. */
  freeSlot(practitionerName: string, time: RegExp): Locator {
    return this.column(practitionerName).getByRole('button', { name: new RegExp(`^Book ${time.source} with ${practitionerName}$`, 'i') });
  }

  /** An appointment in a column, named "9:15 am, Patient Name". */
  appointment(practitionerName: string, time: RegExp, patientName: string): Locator {
    return this.column(practitionerName).getByRole('article', { name: new RegExp(`^${time.source}, ${patientName}$`, 'i') });
  }
}
