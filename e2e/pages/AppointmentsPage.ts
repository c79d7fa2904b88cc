import { expect, type Locator, type Page } from '@playwright/test';
import type { Slot } from 'fhir/r4';
import { listedWhen, slotWhen } from '../support/clinicText';

function cancelName(slot: Slot): { name: RegExp } {
  return { name: new RegExp(`^Cancel\\b.*${slotWhen(slot).source}`) };
}

/** The patient's appointments, upcoming, past and cancelled; an upcoming one can be cancelled (with a reason) after a confirmation, or rescheduled. */
export class AppointmentsPage {
  readonly heading: Locator;
  readonly appointments: Locator;
  readonly upcoming: Locator;
  readonly cancelled: Locator;
  readonly announcement: Locator;
  readonly cancelDialog: Locator;
  readonly reasonSelect: Locator;
  readonly noteField: Locator;
  readonly confirmCancelButton: Locator;

  /** The desk's screen is "The patient's appointments"; a signed-in patient's is "Your appointments". */
  constructor(
    protected readonly page: Page,
    title = "The patient's appointments",
  ) {
    this.heading = page.getByRole('heading', { name: title, level: 1 });
    this.appointments = page.getByRole('region', { name: /appointments/i });
    this.upcoming = this.appointments.getByRole('list', { name: /^Upcoming appointments/ });
    this.cancelled = this.appointments.getByRole('list', { name: /^Cancelled appointments/ });
    this.announcement = this.appointments.getByRole('status').first();
    this.cancelDialog = page.getByRole('dialog', { name: 'Cancel this appointment?' });
    this.reasonSelect = this.cancelDialog.getByRole('combobox', { name: 'Reason' });
    this.noteField = this.cancelDialog.getByRole('textbox', { name: /^Note/ });
    this.confirmCancelButton = this.cancelDialog.getByRole('button', { name: 'Cancel appointment' });
  }

  /** The "Cancel …" button of the appointment at the slot's time: its name says when and with whom. */
  cancelButton(slot: Slot): Locator {
    return this.appointments.getByRole('button', cancelName(slot));
  }

  /** The upcoming appointments at the slot's time. */
  listedAt(slot: Slot): Locator {
    return this.upcoming.getByRole('listitem').filter({ hasText: listedWhen(slot) });
  }

  /** The cancelled appointments at the slot's time (the same slot may have been booked and cancelled more than once). */
  cancelledAt(slot: Slot): Locator {
    return this.cancelled.getByRole('listitem').filter({ hasText: listedWhen(slot) });
  }

  /** The "Reschedule …" button of the appointment at the slot's time. */
  rescheduleButton(slot: Slot): Locator {
    return this.appointments.getByRole('button', { name: new RegExp(`^Reschedule\\b.*${slotWhen(slot).source}`) });
  }

  /** The one booked appointment at the slot's time: only a booked one can be cancelled. */
  bookedAt(slot: Slot): Locator {
    return this.listedAt(slot).filter({ has: this.page.getByRole('button', cancelName(slot)) });
  }

  /** Cancels after choosing a reason by its label ("Patient request", …; a patient is not asked) and, for "Other", a note. */
  async cancel(slot: Slot, reason = 'Patient request', note?: string): Promise<void> {
    await this.cancelButton(slot).click();
    await expect(this.cancelDialog).toBeVisible();
    if (await this.reasonSelect.isVisible()) await this.reasonSelect.selectOption({ label: reason });
    if (note !== undefined) await this.noteField.fill(note);
    await this.confirmCancelButton.click();
    await expect(this.cancelDialog).toBeHidden();
  }
}
