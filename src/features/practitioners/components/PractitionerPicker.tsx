import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Practitioner } from 'fhir/r4';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useFhirClient } from '../../../lib/appContext';
import { humanName } from '../../../lib/format';
import { useDebouncedValue } from '../../../lib/useDebouncedValue';
import { practitionerQueries, practitionerWorkQuery } from '../api/practitionerQueries';

interface PractitionerPickerProps {
  practitionerId: string | undefined;
  onChoose: (practitioner: Practitioner) => void;
  errorId?: string;
  invalid?: boolean;
}

function qualification(practitioner: Practitioner): string | undefined {
  return practitioner.qualification?.[0]?.code.text ?? practitioner.qualification?.[0]?.code.coding?.[0]?.display;
}

/** Arrow keys move between the field and the results, as in the patient search; Enter on a result chooses it. */
function moveFocus(event: KeyboardEvent<HTMLElement>, list: HTMLUListElement | null, input: HTMLInputElement | null) {
  if (!list || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
  const buttons = [...list.querySelectorAll<HTMLButtonElement>('button')];
  if (buttons.length === 0) return;
  event.preventDefault();
  const current = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const next = event.key === 'ArrowDown' ? current + 1 : current - 1;
  if (next < 0) input?.focus();
  else buttons[Math.min(next, buttons.length - 1)].focus();
}

/** Search by name; the chosen practitioner's name stays in the field until the text is edited. */
export function PractitionerPicker({ practitionerId, onChoose, errorId, invalid }: PractitionerPickerProps) {
  const client = useFhirClient();
  const [typed, setTyped] = useState<string | null>(null);
  const chosen = useQuery({
    ...practitionerQueries.detail(client, practitionerId ?? ''),
    enabled: practitionerId !== undefined,
  });
  const term = useDebouncedValue((typed ?? '').trim(), 250);
  const listing = typed !== null || practitionerId === undefined;
  const results = useQuery({
    ...practitionerQueries.search(client, term),
    enabled: listing,
    placeholderData: keepPreviousData,
  });
  const inputId = useId();
  const hintId = useId();
  const chosenName = chosen.data ? humanName(chosen.data.name) : '';
  const work = useQuery({ ...practitionerWorkQuery(client), enabled: listing });
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  return (
    <div className="field">
      <label htmlFor={inputId} className="field__label">
        Practitioner
      </label>
      <p id={hintId} className="field__hint">
        Type part of a name to narrow the list.
      </p>
      <input
        ref={inputRef}
        id={inputId}
        className="input"
        type="search"
        autoComplete="off"
        value={typed ?? chosenName}
        aria-describedby={[invalid ? errorId : undefined, hintId].filter(Boolean).join(' ')}
        aria-invalid={invalid || undefined}
        onChange={(event) => setTyped(event.target.value)}
        onKeyDown={(event) => {
          // Enter here searches; it must not submit the booking form around it.
          if (event.key === 'Enter') event.preventDefault();
          moveFocus(event, listRef.current, inputRef.current);
        }}
      />
      {chosen.isError && <LoadError error={chosen.error} onRetry={() => void chosen.refetch()} />}
      {listing && (
        <section className="results results--compact" aria-label="Search results" aria-busy={results.isFetching}>
          {results.isPending && <Loading label="Loading practitioners…" />}
          {results.isError && <LoadError error={results.error} onRetry={() => void results.refetch()} />}
          {results.data && results.data.practitioners.length === 0 && (
            <EmptyState title="No practitioners match that name." />
          )}
          {results.data && results.data.practitioners.length > 0 && (
            <ul
              ref={listRef}
              className="result-list"
              onKeyDown={(event) => moveFocus(event, listRef.current, inputRef.current)}
            >
              {results.data.practitioners.map((practitioner) => (
                <li key={practitioner.id}>
                  <button
                    type="button"
                    className="result"
                    aria-pressed={practitioner.id === practitionerId}
                    onClick={() => {
                      setTyped(null);
                      onChoose(practitioner);
                    }}
                  >
                    <span className="result__name">{humanName(practitioner.name)}</span>
                    <span className="result__facts">
                      {(work.data?.[practitioner.id ?? '']?.role ?? qualification(practitioner)) && (
                        <span>{work.data?.[practitioner.id ?? '']?.role ?? qualification(practitioner)}</span>
                      )}
                      {work.data?.[practitioner.id ?? '']?.places.map((place) => (
                        <span key={place}>{place}</span>
                      ))}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {results.data?.more && (
            <p className="field__hint">More practitioners match than are shown: type more of the name.</p>
          )}
        </section>
      )}
    </div>
  );
}
