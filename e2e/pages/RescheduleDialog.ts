import { expect, type Locator, type Page } from '@playwright/test';
import type { Slot } from 'fhir/r4';
import { slotDayName, slotTimeName, weeksAhead } from '../support/clinicText';

/** "Reschedule this appointment": the practitioner (same by default), a free slot, then "Move appointment". */
export class RescheduleDialog {
  readonly dialog: Locator;
  readonly practitionerField: Locator;
  readonly practitionerResults: Locator;
  readonly slots: Locator;
  readonly slotSection: Locator;
  readonly nextWeekButton: Locator;
  readonly moveButton: Locator;
  readonly keepButton: Locator;
  readonly problem: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Reschedule this appointment' });
    this.practitionerField = this.dialog.getByRole('searchbox', { name: 'Practitioner' });
    this.practitionerResults = this.dialog.getByRole('region', { name: 'Search results' });
    this.slots = this.dialog.getByRole('radiogroup', { name: /slots/ });
    this.slotSection = this.dialog.getByRole('region', { name: /^Free slots/ });
    this.nextWeekButton = this.dialog.getByRole('button', { name: 'Next week' });
    this.moveButton = this.dialog.getByRole('button', { name: 'Move appointment' });
    this.keepButton = this.dialog.getByRole('button', { name: 'Keep the current time' });
    this.problem = this.dialog.getByRole('alert');
  }

  slotRadio(slot: Slot): Locator {
    return this.slots.getByRole('group', { name: slotDayName(slot) }).getByRole('radio', { name: slotTimeName(slot) });
  }

  /** Pages forward from this week to the slot's week with the keyboard, and picks it with Space. */
  async chooseSlot(slot: Slot): Promise<void> {
    for (let week = 0; week < weeksAhead(slot); week++) {
      const before = await this.slotSection.getByRole('heading').textContent();
      await this.nextWeekButton.press('Enter');
      await expect(this.slotSection.getByRole('heading')).not.toHaveText(before ?? '');
    }
    await this.slotRadio(slot).focus();
    await this.slotRadio(slot).press('Space');
    await expect(this.slotRadio(slot)).toBeChecked();
  }
}
