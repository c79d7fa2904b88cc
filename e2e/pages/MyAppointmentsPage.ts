import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import type { Appointment, Slot } from 'fhir/r4';
import { slotWhen } from '../support/clinicText';
import { AppointmentsPage } from './AppointmentsPage';

export type AppointmentGroupName = 'Upcoming' | 'Past' | 'Cancelled';

/** An appointment's times as the page helpers take them (a slot's start and end). */
export function timesOf(appointment: Appointment): Slot {
  return {
    resourceType: 'Slot',
    schedule: {},
    status: 'busy',
    start: appointment.start as string,
    end: (appointment.end ?? appointment.start) as string,
  };
}

/** "Your appointments": the patient's own list, with "Add to calendar", and past the cut-off the clinic's number. */
export class MyAppointmentsPage extends AppointmentsPage {
  constructor(page: Page) {
    super(page, 'Your appointments');
  }

  /** "Upcoming appointments (2)": the group's heading with its count. */
  groupHeading(group: AppointmentGroupName): Locator {
    return this.appointments.getByRole('heading', { level: 2, name: new RegExp(`^${group} appointments \\(\\d+\\)$`) });
  }

  calendarButton(slot: Slot): Locator {
    return this.appointments.getByRole('button', { name: new RegExp(`^Add to calendar\\b.*${slotWhen(slot).source}`) });
  }

  /** Presses "Add to calendar" and gives the downloaded file's name and text. */
  async downloadCalendar(slot: Slot): Promise<{ fileName: string; text: string }> {
    const download = this.page.waitForEvent('download');
    await this.calendarButton(slot).click();
    const file = await download;
    return { fileName: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
  }

  /** What an appointment past the cut-off says in place of its buttons. */
  phoneMessage(slot: Slot): Locator {
    return this.listedAt(slot).getByText(/please phone the clinic/);
  }
}
