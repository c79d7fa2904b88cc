import { formatChannel, formatClinicTime } from '../../../lib/format';
import type { DiaryAppointment } from '../api/diaryQueries';

export interface SheetTable {
  key: string;
  /** The practitioner (or, for one practitioner's week, the day). */
  caption: string;
  appointments: DiaryAppointment[];
}

interface DaySheetProps {
  title: string;
  tables: SheetTable[];
  timeZone: string;
}

/**
 * The printed day sheet: one plain table per practitioner (time, patient, NHI, type, channel). Shown
 * only in print; the screen's grid, navigation and buttons are hidden there (print rules in CSS).
 */
export function DaySheet({ title, tables, timeZone }: DaySheetProps) {
  return (
    <section className="day-sheet" aria-label="Day sheet">
      {/* The printed page's one level-one heading: the screen's "Diary" is not printed. */}
      <h1 className="day-sheet__title">{title}</h1>
      {tables.map((table) => (
        <table key={table.key} className="day-sheet__table">
          <caption>{table.caption}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Patient</th>
              <th scope="col">NHI</th>
              <th scope="col">Type</th>
              <th scope="col">Channel</th>
            </tr>
          </thead>
          <tbody>
            {table.appointments.length === 0 ? (
              <tr>
                <td colSpan={5}>No appointments.</td>
              </tr>
            ) : (
              table.appointments.map((item) => (
                <tr key={item.id}>
                  <td>{formatClinicTime(item.startsAt, timeZone)}</td>
                  <td>{item.patientName}</td>
                  <td>{item.nhi ?? ''}</td>
                  <td>{item.type ?? ''}</td>
                  <td>{formatChannel(item.channel)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      ))}
    </section>
  );
}
