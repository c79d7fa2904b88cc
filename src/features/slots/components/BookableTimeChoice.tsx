import { EmptyState } from '../../../components/EmptyState';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { WeekNavigation } from '../../../components/WeekNavigation';
import { addClinicDays } from '../../../../domain/clinicTime';
import { formatWeek } from '../../../lib/format';
import type { BookableTimeChoiceState } from '../hooks/useBookableTimeChoice';
import { DayChoice, TimeChoice } from './DayAndTimeChoice';

/** The week's free times to tap through, day then time, or why there are none. */
export function BookableTimeChoice({ choice }: { choice: BookableTimeChoiceState }) {
  const { thisWeek, week, times, days, day, dayTimes, chosen, changeWeek, chooseDay, chooseTime } = choice;
  return (
    <>
      <WeekNavigation
        title={<p className="week-nav__title">Week of {formatWeek(week)}</p>}
        weekStart={week}
        thisWeek={thisWeek}
        onWeekChange={changeWeek}
        compact
      />
      {times.pending && <Loading label="Loading free times…" />}
      {times.error && <LoadError error={times.error} onRetry={times.retry} />}
      {times.noSchedule && (
        <EmptyState title="This practitioner has no times to book online. Choose someone else, or first available with anyone." />
      )}
      {!times.pending && !times.error && !times.noSchedule && days.length === 0 && (
        <EmptyState title="No free times this week.">
          <button type="button" className="button button--secondary" onClick={() => changeWeek(addClinicDays(week, 7))}>
            Look at the next week
          </button>
        </EmptyState>
      )}
      {days.length > 0 && (
        <>
          <DayChoice options={times.options} value={day} onChange={chooseDay} />
          <TimeChoice options={dayTimes} value={chosen?.id} onChange={(option) => chooseTime(option.id)} />
        </>
      )}
    </>
  );
}
