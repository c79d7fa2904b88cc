import { expect, type Locator, type Page } from '@playwright/test';
import type { Slot } from 'fhir/r4';
import { listedWhen, slotWhen } from '../support/clinicText';

function cancelName(slot: Slot): { name: RegExp } {
  return { name: new RegExp(`^Cancel\\b.*${slotWhen(slot).source}`) };
}

/** The patient's appointments, upcoming and past; an upcoming one can be cancelled after a confirmation. */
export class AppointmentsPage {
  readonly heading: Locator;
  readonly appointments: Locator;
  readonly upcoming: Locator;
  readonly announcement: Locator;
  readonly cancelDialog: Locator;
  readonly confirmCancelButton: Locator;

  /** The desk's screen is "The patient's appointments"; a signed-in patient's is "Your appointments". */
  constructor(
    private readonly page: Page,
    title = "The patient's appointments",
  ) {
    this.heading = page.getByRole('heading', { name: title, level: 1 });
    this.appointments = page.getByRole('region', { name: /appointments/i });
    this.upcoming = this.appointments.getByRole('list', { name: /^Upcoming appointments/ });
    this.announcement = this.appointments.getByRole('status');
    this.cancelDialog = page.getByRole('dialog', { name: 'Cancel this appointment?' });
    this.confirmCancelButton = this.cancelDialog.getByRole('button', { name: 'Cancel appointment' });
  }

  /** The "Cancel …" button of the appointment at the slot's time: its name says when and with whom. */
  cancelButton(slot: Slot): Locator {
    return this.appointments.getByRole('button', cancelName(slot));
  }

  /** The upcoming appointments at the slot's time (a slot cancelled earlier may be listed again, cancelled). */
  listedAt(slot: Slot): Locator {
    return this.upcoming.getByRole('listitem').filter({ hasText: listedWhen(slot) });
  }

  /** The one booked appointment at the slot's time: only a booked one can be cancelled. */
  bookedAt(slot: Slot): Locator {
    return this.listedAt(slot).filter({ has: this.page.getByRole('button', cancelName(slot)) });
  }

  async cancel(slot: Slot): Promise<void> {
    await this.cancelButton(slot).click();
    await expect(this.cancelDialog).toBeVisible();
    await this.confirmCancelButton.click();
    await expect(this.cancelDialog).toBeHidden();
  }
}
