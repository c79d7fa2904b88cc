import { expect, type Locator, type Page } from '@playwright/test';
import type { Slot } from 'fhir/r4';
import { slotDayName, slotTimeName, weeksAhead } from '../support/clinicText';

/** A signed-in patient books for themselves: who (or anyone), a day, a time, then "Book this appointment". */
export class MyBookingPage {
  readonly heading: Locator;
  readonly who: Locator;
  readonly days: Locator;
  readonly times: Locator;
  readonly weekTitle: Locator;
  readonly nextWeekButton: Locator;
  readonly check: Locator;
  readonly bookButton: Locator;
  readonly confirmation: Locator;
  readonly backToAppointments: Locator;

  constructor(page: Page) {
    this.heading = page.getByRole('heading', { name: 'Book an appointment', level: 1 });
    this.who = page.getByRole('group', { name: 'Who would you like to see?' });
    this.days = page.getByRole('group', { name: 'Choose a day' });
    this.times = page.getByRole('group', { name: /^Choose a time/ });
    this.weekTitle = page.getByText(/^Week of /);
    this.nextWeekButton = page.getByRole('button', { name: 'Next week' });
    this.check = page.getByRole('region', { name: /Check and book/ });
    this.bookButton = page.getByRole('button', { name: 'Book this appointment' });
    this.confirmation = page.getByRole('region', { name: /Appointment booked/ });
    this.backToAppointments = page.getByRole('main').getByRole('link', { name: 'Back to your appointments' });
  }

  async choosePractitioner(name: string): Promise<void> {
    await this.who.getByRole('radio', { name }).check();
  }

  timeRadio(slot: Slot): Locator {
    return this.times.getByRole('radio', { name: slotTimeName(slot) });
  }

  /** Pages forward to the slot's week, picks its day, then its time. */
  async chooseTime(slot: Slot): Promise<void> {
    for (let week = 0; week < weeksAhead(slot); week++) {
      const before = await this.weekTitle.textContent();
      await this.nextWeekButton.click();
      await expect(this.weekTitle).not.toHaveText(before ?? '');
    }
    await this.days.getByRole('radio', { name: slotDayName(slot) }).check();
    await this.timeRadio(slot).check();
    await expect(this.timeRadio(slot)).toBeChecked();
  }
}
