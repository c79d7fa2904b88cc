import { useState, type ReactNode } from 'react';
import { downloadCalendarFile, type AppointmentCalendarEvent } from '../lib/calendarFile';

interface AddToCalendarButtonProps {
  event: AppointmentCalendarEvent;
  fileName: string;
  /** Words only a screen reader hears after "Add to calendar", saying which appointment in a list. */
  which?: ReactNode;
  className?: string;
}

/** "Add to calendar": the appointment as an .ics file, made when pressed. */
export function AddToCalendarButton({
  event,
  fileName,
  which,
  className = 'button button--secondary',
}: AddToCalendarButtonProps) {
  const [failed, setFailed] = useState(false);
  const download = () => {
    setFailed(false);
    downloadCalendarFile(event, fileName).catch(() => setFailed(true));
  };
  return (
    <>
      <button type="button" className={className} onClick={download}>
        Add to calendar{which}
      </button>
      {failed && (
        <p role="alert" className="field__error">
          The calendar file could not be made. Check your connection and try again.
        </p>
      )}
    </>
  );
}
