import { expect, type Locator, type Page } from '@playwright/test';
import type { Slot } from 'fhir/r4';
import { slotDayName, slotTimeName, weeksAhead } from '../support/clinicText';

/** A signed-in patient books for themselves: who (or anyone, at a clinic), how, a day, a time, what for, then "Book this appointment". */
export class MyBookingPage {
  readonly heading: Locator;
  readonly who: Locator;
  readonly days: Locator;
  readonly times: Locator;
  readonly weekTitle: Locator;
  readonly nextWeekButton: Locator;
  readonly clinic: Locator;
  readonly role: Locator;
  readonly channel: Locator;
  /** Step 2, "How and when": a refused time's message is its description. */
  readonly howAndWhen: Locator;
  readonly reason: Locator;
  readonly comment: Locator;
  readonly check: Locator;
  readonly outcome: Locator;
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
    this.clinic = page.getByRole('combobox', { name: 'Clinic' });
    this.role = page.getByRole('combobox', { name: 'See' });
    this.channel = page.getByRole('group', { name: 'How would you like to be seen?' });
    this.howAndWhen = page.getByRole('region', { name: /How and when/ });
    this.reason = page.getByRole('textbox', { name: 'Reason for the visit' });
    this.comment = page.getByRole('textbox', { name: /Anything else the clinic should know/ });
    this.check = page.getByRole('region', { name: /Check and book/ });
    this.outcome = this.check.getByRole('alert');
    this.bookButton = page.getByRole('button', { name: 'Book this appointment' });
    this.confirmation = page.getByRole('region', { name: /Appointment booked/ });
    this.backToAppointments = page.getByRole('main').getByRole('link', { name: 'Back to your appointments' });
  }

  async choosePractitioner(name: string): Promise<void> {
    await this.who.getByRole('radio', { name }).check();
  }

  /** "First available" with anyone at one clinic (by its id, whether or not it is the patient's usual one). */
  async chooseAnyoneAt(locationId: string): Promise<void> {
    await this.choosePractitioner('First available with anyone');
    await this.clinic.selectOption(locationId);
  }

  async chooseChannel(label: string): Promise<void> {
    await this.channel.getByRole('radio', { name: label }).check();
  }

  /** Each day offered, as its radio is named: "Monday 7 December (34 times)". */
  async dayNames(): Promise<string[]> {
    return (await this.days.locator('label').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  }

  /** The times listed under one practitioner's name ("anyone" names each once). */
  timesWith(practitionerName: string): Locator {
    return this.times.getByRole('group', { name: practitionerName }).getByRole('radio');
  }

  async giveReason(reason: string, comment?: string): Promise<void> {
    await this.reason.fill(reason);
    if (comment !== undefined) await this.comment.fill(comment);
  }

  async goToNextWeek(): Promise<void> {
    const before = await this.weekTitle.textContent();
    await this.nextWeekButton.click();
    await expect(this.weekTitle).not.toHaveText(before ?? '');
  }

  timeRadio(slot: Slot): Locator {
    return this.times.getByRole('radio', { name: slotTimeName(slot) });
  }

  /** Pages forward to the slot's week, picks its day, then its time. */
  async chooseTime(slot: Slot): Promise<void> {
    for (let week = 0; week < weeksAhead(slot); week++) await this.goToNextWeek();
    await this.days.getByRole('radio', { name: slotDayName(slot) }).check();
    await this.timeRadio(slot).check();
    await expect(this.timeRadio(slot)).toBeChecked();
  }
}
