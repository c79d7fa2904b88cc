import { useEffect, useRef } from 'react';
import { formatAppointmentStatus, formatChannel, formatClinicTime, formatWaited } from '../../../lib/format';
import type { DiaryAppointment } from '../api/diaryQueries';
import type { Mark } from '../api/useMarkAppointment';

interface DiaryAppointmentCardProps {
  item: DiaryAppointment;
  timeZone: string;
  now: Date;
  /**
   * Arrival buttons, on today's appointments where the server takes marks. `focusAfterChange` moves
   * the focus to the card's new buttons when its status changes (the pressed button is gone then).
   */
  marking?: { onMark: (status: Mark) => void; busy: boolean; focusAfterChange: boolean };
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

/**
 * The marks the server would take now (domain/appointmentLifecycle.ts): "Did not attend" only once the
 * start has passed, as the server refuses it before.
 */
export function marksFor(item: DiaryAppointment, now: Date): Array<{ status: Mark; label: string }> {
  return (MARKS_FROM[item.status] ?? []).filter(
    (mark) => mark.status !== 'noshow' || item.startsAt.getTime() <= now.getTime(),
  );
}

/** The line a screen reader hears first: "9:15 am, Hēmi Te Rangi". */
export function appointmentTitle(item: DiaryAppointment, timeZone: string): string {
  return `${formatClinicTime(item.startsAt, timeZone)}, ${item.patientName}`;
}

export function DiaryAppointmentCard({ item, timeZone, now, marking, onOpen }: DiaryAppointmentCardProps) {
  const title = appointmentTitle(item, timeZone);
  const until = item.endsAt ? `–${formatClinicTime(item.endsAt, timeZone)}` : '';
  const marks = marking ? marksFor(item, now) : [];
  const card = useRef<HTMLElement>(null);
  const shownStatus = useRef(item.status);
  const focusAfterChange = marking?.focusAfterChange ?? false;
  useEffect(() => {
    if (shownStatus.current === item.status) return;
    shownStatus.current = item.status;
    // The button just pressed is gone: keep a keyboard user on this appointment, at its next mark.
    if (!focusAfterChange) return;
    const next =
      card.current?.querySelector<HTMLButtonElement>('.diary-appointment__marks button') ??
      card.current?.querySelector<HTMLButtonElement>('.diary-appointment__who button');
    next?.focus();
  }, [item.status, focusAfterChange]);
  return (
    <article ref={card} className={`diary-appointment diary-appointment--${item.status}`} aria-label={title}>
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
        {!item.locationId && <span>Location not recorded</span>}
      </p>
      <p className="diary-appointment__status">
        <span className={`status status--${item.status}`}>{formatAppointmentStatus(item.status)}</span>
        {item.status === 'arrived' && item.lastUpdated && (
          <span className="diary-appointment__waited">
            Waiting {formatWaited(now.getTime() - item.lastUpdated.getTime())}
          </span>
        )}
      </p>
      {marking && marks.length > 0 && (
        <div className="diary-appointment__marks" role="group" aria-label={`Mark ${title}`}>
          {marks.map((mark) => (
            // Not disabled while a mark is saved: that would drop a keyboard user's focus; a second press waits.
            <button
              key={mark.status + mark.label}
              type="button"
              className="button button--secondary button--small"
              aria-disabled={marking.busy || undefined}
              onClick={() => !marking.busy && marking.onMark(mark.status)}
            >
              {mark.label}
            </button>
          ))}
        </div>
      )}
    </article>
  );
}
