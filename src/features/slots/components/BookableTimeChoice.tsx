import { EmptyState } from '../../../components/EmptyState';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { WeekNavigation } from '../../../components/WeekNavigation';
import { addClinicDays } from '../../../../domain/clinicTime';
import { DELIVERY_CHANNEL_DISPLAY } from '../../../../domain/extensions';
import { formatWeek } from '../../../lib/format';
import type { BookableTimeChoiceState } from '../hooks/useBookableTimeChoice';
import { ChannelChoice } from './ChannelChoice';
import { DayChoice, TimeChoice } from './DayAndTimeChoice';

/** The week's free times to tap through, how to be seen, then day and time, or why there are none. */
export function BookableTimeChoice({ choice }: { choice: BookableTimeChoiceState }) {
  const { thisWeek, week, times, channels, channel, options, days, day, dayTimes, chosen } = choice;
  const { changeWeek, chooseChannel, chooseDay, chooseTime } = choice;
  const loaded = !times.pending && !times.error && !times.noSchedule;
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
      {loaded && <ChannelChoice channels={channels} value={channel} onChange={chooseChannel} />}
      {loaded && times.incomplete && (
        <p className="notice">There are more free times this week than can be listed: choose a role to see fewer.</p>
      )}
      {loaded && days.length === 0 && (
        <EmptyState
          title={
            channel && times.options.length > 0
              ? `No free ${DELIVERY_CHANNEL_DISPLAY[channel].toLowerCase()} times this week.`
              : 'No free times this week.'
          }
        >
          <button type="button" className="button button--secondary" onClick={() => changeWeek(addClinicDays(week, 7))}>
            Look at the next week
          </button>
        </EmptyState>
      )}
      {days.length > 0 && (
        <>
          <DayChoice options={options} value={day} onChange={chooseDay} />
          <TimeChoice options={dayTimes} value={chosen?.id} onChange={(option) => chooseTime(option.id)} />
        </>
      )}
    </>
  );
}
