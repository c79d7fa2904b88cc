import { useId } from 'react';
import { useAppConfig } from '../../../lib/appContext';
import { timeZoneAbbreviation } from '../../../../domain/clinicTime';
import { formatCalendarDate, formatClinicTime } from '../../../lib/format';

export interface TimeOption {
  id: string;
  startsAt: Date;
  /** The clinic date (YYYY-MM-DD). */
  day: string;
  /** Said after the time, e.g. "with Dr Mere Parata". */
  detail?: string;
  /** Whom the time is with, when the list mixes several: said once above their times, not on each. */
  group?: string;
}

/** Options under their group's name, groups in the order of their first time; one unnamed group when none has one. */
function groupsOf<T extends TimeOption>(options: T[]): Array<{ name: string | undefined; options: T[] }> {
  const groups = new Map<string | undefined, T[]>();
  for (const option of options) groups.set(option.group, [...(groups.get(option.group) ?? []), option]);
  return [...groups].map(([name, grouped]) => ({ name, options: grouped }));
}

/** The days that have a time left, each once, in order. */
export function daysOf(options: TimeOption[]): Array<{ day: string; count: number }> {
  const counts = new Map<string, number>();
  for (const option of options) counts.set(option.day, (counts.get(option.day) ?? 0) + 1);
  return [...counts].map(([day, count]) => ({ day, count }));
}

export function DayChoice({
  options,
  value,
  onChange,
}: {
  options: TimeOption[];
  value: string | undefined;
  onChange: (day: string) => void;
}) {
  return (
    <fieldset className="choice-list choice-list--days">
      <legend className="choice-list__legend">Choose a day</legend>
      {daysOf(options).map(({ day, count }) => (
        <label key={day} className="choice">
          <input
            type="radio"
            name="day"
            className="choice__input"
            checked={value === day}
            onChange={() => onChange(day)}
          />
          <span className="choice__text">
            {formatCalendarDate(day)}{' '}
            <span className="choice__detail">({count === 1 ? '1 time' : `${count} times`})</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export function TimeChoice({
  options,
  value,
  onChange,
}: {
  options: TimeOption[];
  value: string | undefined;
  onChange: (option: TimeOption) => void;
}) {
  const { timeZone } = useAppConfig();
  const zone = options[0] ? timeZoneAbbreviation(options[0].startsAt, timeZone) : '';
  const groupIds = useId();
  const radio = (option: TimeOption) => (
    <label key={option.id} className="choice">
      <input
        type="radio"
        name="time"
        className="choice__input"
        checked={value === option.id}
        onChange={() => onChange(option)}
      />
      <span className="choice__text">
        {formatClinicTime(option.startsAt, timeZone)}
        {option.detail && (
          <>
            {' '}
            <span className="choice__detail">{option.detail}</span>
          </>
        )}
      </span>
    </label>
  );
  return (
    <fieldset className="choice-list choice-list--times">
      <legend className="choice-list__legend">
        Choose a time <span className="choice-list__zone">(times in {zone})</span>
      </legend>
      {groupsOf(options).map(({ name, options: grouped }, index) =>
        name === undefined ? (
          grouped.map(radio)
        ) : (
          <div key={name} role="group" aria-labelledby={`${groupIds}-${index}`} className="time-group">
            <p id={`${groupIds}-${index}`} className="time-group__name">
              {name}
            </p>
            <div className="time-group__times">{grouped.map(radio)}</div>
          </div>
        ),
      )}
    </fieldset>
  );
}
