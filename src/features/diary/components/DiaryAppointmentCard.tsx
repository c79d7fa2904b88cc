import { formatAppointmentStatus, formatChannel, formatClinicTime, formatWaited } from '../../../lib/format';
import type { DiaryAppointment } from '../api/diaryQueries';
import type { Mark } from '../api/useMarkAppointment';

interface DiaryAppointmentCardProps {
  item: DiaryAppointment;
  timeZone: string;
  now: Date;
  /** Arrival buttons, on today's appointments where the server takes marks. */
  marking?: { onMark: (status: Mark) => void; busy: boolean };
  onOpen: () => void;
}

const MARKS_FROM: Partial<Record<DiaryAppointment['status'], Array<{ status: Mark; label: string }>>> = {
  booked: [
    { status: 'arrived', label: 'Arrived' },
    { status: 'noshow', label: 'Did not attend' },
  ],
  arrived: [
    { status: 'fulfilled', label: 'Seen' },
    { status: 'booked', label: 'Undo' },
  ],
  noshow: [{ status: 'booked', label: 'Undo' }],
};

/** The line a screen reader hears first: "9:15 am, Hēmi Te Rangi". */
export function appointmentTitle(item: DiaryAppointment, timeZone: string): string {
  return `${formatClinicTime(item.startsAt, timeZone)}, ${item.patientName}`;
}

export function DiaryAppointmentCard({ item, timeZone, now, marking, onOpen }: DiaryAppointmentCardProps) {
  const title = appointmentTitle(item, timeZone);
  const until = item.endsAt ? `–${formatClinicTime(item.endsAt, timeZone)}` : '';
  return (
    <article className={`diary-appointment diary-appointment--${item.status}`} aria-label={title}>
      <p className="diary-appointment__when">
        {formatClinicTime(item.startsAt, timeZone)}
        {until}
      </p>
      <p className="diary-appointment__who">
        <button type="button" className="link-button" onClick={onOpen} aria-haspopup="dialog">
          {item.patientName}
        </button>
      </p>
      <p className="diary-appointment__facts">
        <span>NHI {item.nhi ?? 'not recorded'}</span>
        {item.type && <span>{item.type}</span>}
        <span>{formatChannel(item.channel)}</span>
      </p>
      <p className="diary-appointment__status">
        <span className={`status status--${item.status}`}>{formatAppointmentStatus(item.status)}</span>
        {item.status === 'arrived' && item.lastUpdated && <span className="diary-appointment__waited">Waiting {formatWaited(now.getTime() - item.lastUpdated.getTime())}</span>}
      </p>
      {marking && (MARKS_FROM[item.status]?.length ?? 0) > 0 && (
        <div className="diary-appointment__marks" role="group" aria-label={`Mark ${title}`}>
          {MARKS_FROM[item.status]?.map((mark) => (
            <button key={mark.status + mark.label} type="button" className="button button--secondary button--small" disabled={marking.busy} onClick={() => marking.onMark(mark.status)}>
              {mark.label}
            </button>
          ))}
        </div>
      )}
    </article>
  );
}
