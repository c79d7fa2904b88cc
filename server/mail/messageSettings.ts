/** What the appointment writes need to word their emails: the clinic's zone and when reminders go. */
import { DEFAULT_CLINIC_TIME_ZONE } from '../../domain/clinicTime';

export interface MessageSettings {
  timeZone: string;
  /** A reminder goes this many hours before the start (REMINDER_HOURS_BEFORE); 0: no reminders. */
  reminderHoursBefore: number;
}

export const DEFAULT_REMINDER_HOURS_BEFORE = 24;

export const DEFAULT_MESSAGE_SETTINGS: MessageSettings = {
  timeZone: DEFAULT_CLINIC_TIME_ZONE,
  reminderHoursBefore: DEFAULT_REMINDER_HOURS_BEFORE,
};

/** How long a sender's claim on an outbox message holds (MAIL_LEASE_SECONDS), unless configured. */
export const DEFAULT_LEASE_MS = 60_000;
