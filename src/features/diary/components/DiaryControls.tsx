import { useId } from 'react';

export interface DiaryControlsProps {
  locations: Array<{ id: string; name: string }>;
  locationId: string | undefined;
  date: string;
  view: 'day' | 'week';
  showCancelled: boolean;
  onLocation: (locationId: string) => void;
  onDate: (date: string) => void;
  /** Back or forward one step: a day, or a week in the week view. */
  onStep: (steps: number) => void;
  onToday: () => void;
  onShowCancelled: (shown: boolean) => void;
  onDayView?: () => void;
}

/** Where and when the diary shows: location, day (any date), a step either way, today, and what to show. */
export function DiaryControls(props: DiaryControlsProps) {
  const { locations, locationId, date, view, showCancelled } = props;
  const locationInput = useId();
  const dayInput = useId();
  const cancelledInput = useId();
  const unit = view === 'week' ? 'week' : 'day';
  return (
    <div className="diary-controls">
      <div className="field diary-controls__field">
        <label htmlFor={locationInput} className="field__label">
          Location
        </label>
        <select
          id={locationInput}
          className="input select"
          value={locationId ?? ''}
          onChange={(event) => props.onLocation(event.target.value)}
        >
          {locations.map((location) => (
            <option key={location.id} value={location.id}>
              {location.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field diary-controls__field">
        <label htmlFor={dayInput} className="field__label">
          Day
        </label>
        <input
          id={dayInput}
          className="input"
          type="date"
          value={date}
          required
          onChange={(event) => {
            if (/^\d{4}-\d{2}-\d{2}$/.test(event.target.value)) props.onDate(event.target.value);
          }}
        />
      </div>
      <div className="diary-controls__steps" role="group" aria-label={view === 'week' ? 'Change week' : 'Change day'}>
        <button type="button" className="button button--secondary" onClick={() => props.onStep(-1)}>
          Previous {unit}
        </button>
        <button type="button" className="button button--secondary" onClick={props.onToday}>
          Today
        </button>
        <button type="button" className="button button--secondary" onClick={() => props.onStep(1)}>
          Next {unit}
        </button>
        {props.onDayView && (
          <button type="button" className="button button--secondary" onClick={props.onDayView}>
            Whole clinic
          </button>
        )}
      </div>
      <div className="diary-controls__options">
        <input
          id={cancelledInput}
          type="checkbox"
          className="checkbox"
          checked={showCancelled}
          onChange={(event) => props.onShowCancelled(event.target.checked)}
        />
        <label htmlFor={cancelledInput}>Show cancelled</label>
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          Print day sheet
        </button>
      </div>
    </div>
  );
}
