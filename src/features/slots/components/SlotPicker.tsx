import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { WeekNavigation } from '../../../components/WeekNavigation';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { addClinicDays, timeZoneAbbreviation } from '../../../../domain/clinicTime';
import { formatCalendarDate, formatClinicTime, formatWeek } from '../../../lib/format';
import { slotQueries, slotsByDay, type FreeSlot } from '../api/slotQueries';

interface SlotPickerProps {
  practitionerId: string;
  scheduleIds: string[];
  weekStart: string;
  /** The Monday of the clinic's current week: earlier weeks have nothing left to book. */
  thisWeek: string;
  selectedSlotId: string | undefined;
  /** Which free slots to offer (all when absent): a patient sees only those bookable online. */
  isOffered?: (slot: FreeSlot) => boolean;
  onSelect: (slot: FreeSlot) => void;
  onWeekChange: (weekStart: string) => void;
  errorId?: string;
  invalid?: boolean;
}

export function SlotPicker(props: SlotPickerProps) {
  const {
    practitionerId,
    scheduleIds,
    weekStart,
    thisWeek,
    selectedSlotId,
    isOffered,
    onSelect,
    onWeekChange,
    errorId,
    invalid,
  } = props;
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const query = useQuery(slotQueries.week(client, { practitionerId, scheduleIds, weekStart, timeZone }));
  const headingId = useId();
  const offered = query.data && isOffered ? query.data.filter(isOffered) : query.data;
  const days = offered ? slotsByDay(offered, new Date()) : [];
  const label = formatWeek(weekStart);

  return (
    <section className="slots" aria-labelledby={headingId} aria-busy={query.isFetching}>
      <WeekNavigation
        title={
          <h3 id={headingId} className="week-nav__title">
            Free slots, {label}
          </h3>
        }
        weekStart={weekStart}
        thisWeek={thisWeek}
        onWeekChange={onWeekChange}
        offerThisWeek
      />
      {scheduleIds.length === 0 && (
        <EmptyState title="This practitioner has no schedule here, so there are no slots to book." />
      )}
      {scheduleIds.length > 0 && query.isPending && <Loading label="Loading free slots…" />}
      {query.isError && <LoadError error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && days.length === 0 && (
        <EmptyState title="No free slots this week.">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => onWeekChange(addClinicDays(weekStart, 7))}
          >
            Look at the next week
          </button>
        </EmptyState>
      )}
      {days.length > 0 && (
        <div
          role="radiogroup"
          className="slot-days"
          aria-label={`Free slots, ${label}`}
          aria-describedby={invalid ? errorId : undefined}
          aria-invalid={invalid || undefined}
        >
          {days.map(({ day, slots }) => (
            <fieldset key={day} className="slot-day">
              <legend className="slot-day__title">
                {formatCalendarDate(day)}{' '}
                <span className="slot-day__zone">times in {timeZoneAbbreviation(slots[0].startsAt, timeZone)}</span>
              </legend>
              <div className="slot-day__times">
                {slots.map((slot) => (
                  <label key={slot.id} className="slot">
                    <input
                      type="radio"
                      name="slot"
                      className="slot__input"
                      value={slot.id}
                      checked={slot.id === selectedSlotId}
                      onChange={() => onSelect(slot)}
                    />
                    <span className="slot__time">{formatClinicTime(slot.startsAt, timeZone)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
        </div>
      )}
    </section>
  );
}
