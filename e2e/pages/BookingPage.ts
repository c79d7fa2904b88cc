import { expect, type Locator, type Page } from '@playwright/test';
import type { Slot } from 'fhir/r4';
import { slotDayName, slotTimeName, weeksAhead } from '../support/clinicText';

/** Booking for the chosen patient: practitioner, (location,) a free slot, then "Book appointment". */
export class BookingPage {
  readonly heading: Locator;
  readonly form: Locator;
  readonly practitionerField: Locator;
  readonly practitionerResults: Locator;
  readonly slots: Locator;
  readonly slotSection: Locator;
  readonly nextWeekButton: Locator;
  readonly check: Locator;
  readonly bookButton: Locator;
  readonly problem: Locator;
  readonly progress: Locator;
  readonly retryButton: Locator;
  readonly confirmation: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Book an appointment', level: 1 });
    this.form = page.getByRole('form', { name: 'Book an appointment' });
    this.practitionerField = page.getByRole('searchbox', { name: 'Practitioner' });
    this.practitionerResults = this.form.getByRole('region', { name: 'Search results' });
    this.slots = page.getByRole('radiogroup', { name: /slots/ });
    this.slotSection = page.getByRole('region', { name: /^Free slots/ });
    this.nextWeekButton = page.getByRole('button', { name: 'Next week' });
    this.check = page.getByRole('region', { name: /Check and book/ });
    this.bookButton = page.getByRole('button', { name: 'Book appointment' });
    this.problem = this.form.getByRole('alert');
    this.progress = this.form.getByRole('status');
    this.retryButton = this.problem.getByRole('button', { name: 'Try again' });
    this.confirmation = page.getByRole('region', { name: /Appointment booked/ });
  }

  /** Opens the booking screen for a patient (and practitioner) the way a shared link does: the app keeps its state in the URL. */
  async goto(choice: { patient: string; practitioner?: string }): Promise<void> {
    await this.page.goto(`/book?${new URLSearchParams(choice)}`);
    await expect(this.heading).toBeVisible();
  }

  async choosePractitioner(name: string, typed = name.split(' ').at(-1) ?? name): Promise<void> {
    await this.practitionerField.fill(typed);
    await this.practitionerResults.getByRole('button', { name }).click();
    await expect(this.practitionerField).toHaveValue(name);
  }

  /** The radio for a slot: its time, inside its day's group, inside the free slots. */
  slotRadio(slot: Slot): Locator {
    return this.slots.getByRole('group', { name: slotDayName(slot) }).getByRole('radio', { name: slotTimeName(slot) });
  }

  /** Pages forward from this week to the slot's week and picks it. */
  async chooseSlot(slot: Slot): Promise<void> {
    for (let week = 0; week < weeksAhead(slot); week++) {
      const before = await this.slotSection.getByRole('heading').textContent();
      await this.nextWeekButton.click();
      await expect(this.slotSection.getByRole('heading')).not.toHaveText(before ?? '');
    }
    await this.slotRadio(slot).check();
    await expect(this.slotRadio(slot)).toBeChecked();
  }

  async book(): Promise<void> {
    await this.bookButton.click();
  }

  async seeAppointments(): Promise<void> {
    await this.page.getByRole('link', { name: "See the patient's appointments" }).click();
  }
}
