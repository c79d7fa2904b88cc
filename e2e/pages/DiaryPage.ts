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
  readonly announcement: Locator;
  readonly wholeClinic: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Diary', level: 1 });
    this.locationSelect = page.getByLabel('Location');
    this.dayInput = page.getByLabel('Day', { exact: true });
    this.previousDay = page.getByRole('button', { name: 'Previous day' });
    this.nextDay = page.getByRole('button', { name: 'Next day' });
    this.today = page.getByRole('button', { name: 'Today' });
    this.showCancelled = page.getByLabel('Show cancelled');
    this.printButton = page.getByRole('button', { name: 'Print day sheet' });
    // The summary's live line ("2 waiting, the longest 4 min." / "Nobody waiting."), not a card's "Waiting 4 min".
    this.waiting = page.getByRole('status').filter({ hasText: /^(\d+ waiting, the longest .*|Nobody waiting\.)$/ });
    this.daySheet = page.getByRole('region', { name: 'Day sheet' });
    // What a mark did, said once for a screen reader ("… is marked arrived." or why it was refused).
    this.announcement = page.getByRole('status').filter({ hasText: /is marked|meanwhile|refused|could not/ });
    this.wholeClinic = page.getByRole('button', { name: 'Whole clinic' });
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
    return this.column(practitionerName).getByRole('button', {
      name: new RegExp(`^Book ${time.source} with ${practitionerName}$`, 'i'),
    });
  }

  /** A mark on an appointment's card: "Arrived", "Seen", "Did not attend", "Undo". */
  mark(appointment: Locator, name: 'Arrived' | 'Seen' | 'Did not attend' | 'Undo'): Locator {
    return appointment.getByRole('group', { name: /^Mark / }).getByRole('button', { name, exact: true });
  }

  /** The link to a practitioner's week, in their column's header. */
  weekOf(practitionerName: string): Locator {
    return this.column(practitionerName).getByRole('link', { name: `Week of ${practitionerName}` });
  }

  /** An appointment in a column, named "9:15 am, Patient Name". */
  appointment(practitionerName: string, time: RegExp, patientName: string): Locator {
    return this.column(practitionerName).getByRole('article', {
      name: new RegExp(`^${time.source}, ${patientName}$`, 'i'),
    });
  }
}
