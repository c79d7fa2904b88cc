import { timeZoneAbbreviation } from '../../../domain/clinicTime';
import { formatClinicDate, formatClinicTime } from '../../lib/format';
import type { AppointmentRow } from './api/appointmentQueries';

/** "Wed 25 Nov 2026, 8:30 am to 8:45 am NZDT". */
export function appointmentWhen(row: Pick<AppointmentRow, 'startsAt' | 'endsAt'>, timeZone: string): string {
  const { startsAt, endsAt } = row;
  if (!startsAt) return 'Time not recorded';
  const until = endsAt ? ` to ${formatClinicTime(endsAt, timeZone)}` : '';
  return `${formatClinicDate(startsAt, timeZone)}, ${formatClinicTime(startsAt, timeZone)}${until} ${timeZoneAbbreviation(startsAt, timeZone)}`;
}
