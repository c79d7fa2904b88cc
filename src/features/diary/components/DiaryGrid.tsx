import type { CSSProperties, ReactNode } from 'react';

export interface DiaryCell {
  /** The row's wall-clock time (HH:mm). */
  time: string;
  /** How many rows it covers (an appointment longer than the rows' step). */
  span: number;
  content: ReactNode;
}

export interface DiaryColumn {
  key: string;
  /** The column's region name: the practitioner's name, or the day in a week view. */
  label: string;
  header?: ReactNode;
  cells: DiaryCell[];
}

interface DiaryGridProps {
  /** The rows' wall-clock times (HH:mm), in order; the time down the side. */
  times: string[];
  timeLabel: (time: string) => string;
  columns: DiaryColumn[];
  label: string;
}

/**
 * Columns side by side on one grid, time down the side: each column is a region of its own (named
 * for the practitioner or day) whose rows are a subgrid of the whole, so a tall appointment in one
 * column keeps every column's rows level.
 */
export function DiaryGrid({ times, timeLabel, columns, label }: DiaryGridProps) {
  const row = new Map(times.map((time, index) => [time, index + 2]));
  const style = { '--diary-columns': columns.length, '--diary-rows': times.length } as CSSProperties;
  return (
    // Scrolls sideways when the columns do not fit: focusable so the keyboard can scroll it too.
    <div className="diary-scroll" tabIndex={0} role="group" aria-label={label}>
      <div className="diary-grid" style={style}>
        <ol className="diary-times" aria-hidden="true">
          <li className="diary-times__head" />
          {times.map((time) => (
            <li key={time} style={{ gridRow: row.get(time) }}>
              {timeLabel(time)}
            </li>
          ))}
        </ol>
        {columns.map((column) => (
          <section key={column.key} className="diary-column" aria-label={column.label}>
            <div className="diary-column__head">
              {column.header ?? <h2 className="diary-column__title">{column.label}</h2>}
            </div>
            <ol className="diary-column__rows">
              {column.cells.map((cell) => (
                <li
                  key={cell.time}
                  className="diary-cell"
                  style={{ gridRow: `${(row.get(cell.time) ?? 2) - 1} / span ${cell.span}` }}
                >
                  {cell.content}
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
    </div>
  );
}
