import type { ReactNode } from 'react';
import { addClinicDays } from '../../domain/clinicTime';

interface WeekNavigationProps {
  /** The week's title element (a heading where it names a section), shown beside the buttons. */
  title: ReactNode;
  /** The Monday (YYYY-MM-DD) of the week shown. */
  weekStart: string;
  /** The Monday of the clinic's current week: earlier weeks have nothing left to book. */
  thisWeek: string;
  onWeekChange: (weekStart: string) => void;
  /** Offers a way straight back to the current week once another is shown. */
  offerThisWeek?: boolean;
  compact?: boolean;
}

/** Previous and next week (never before the current one), for every screen that pages through free times. */
export function WeekNavigation({
  title,
  weekStart,
  thisWeek,
  onWeekChange,
  offerThisWeek = false,
  compact = false,
}: WeekNavigationProps) {
  const buttonClass = `button button--secondary${compact ? ' button--small' : ''}`;
  return (
    <div className="week-nav">
      {title}
      <div className="week-nav__buttons">
        <button
          type="button"
          className={buttonClass}
          disabled={weekStart <= thisWeek}
          onClick={() => onWeekChange(addClinicDays(weekStart, -7))}
        >
          <span aria-hidden="true">←</span> Previous week
        </button>
        {offerThisWeek && weekStart !== thisWeek && (
          <button type="button" className={buttonClass} onClick={() => onWeekChange(thisWeek)}>
            This week
          </button>
        )}
        <button type="button" className={buttonClass} onClick={() => onWeekChange(addClinicDays(weekStart, 7))}>
          Next week <span aria-hidden="true">→</span>
        </button>
      </div>
    </div>
  );
}
