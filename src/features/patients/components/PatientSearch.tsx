import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Patient } from 'fhir/r4';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { clinicDate } from '../../../../domain/clinicTime';
import { formatBirthDate, formatGender, humanName } from '../../../lib/format';
import { useDebouncedValue } from '../../../lib/useDebouncedValue';
import { looksLikeNhi } from '../../../../domain/nhi';
import {
  compactNhi,
  interpretPatientSearch,
  patientNhi,
  patientQueries,
  type PatientSearchTerm,
} from '../api/patientQueries';

const TYPING_PAUSE_MS = 250;

/** Moves focus between the input and the result buttons with the arrow keys. */
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

interface PatientSearchProps {
  onChoose: (patient: Patient) => void;
  /** The screen is for searching (the desk's first screen): the field takes the focus when it opens, so typing starts at once. */
  focusOnOpen?: boolean;
}

export function PatientSearch({ onChoose, focusOnOpen = false }: PatientSearchProps) {
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const [text, setText] = useState('');
  const settled = useDebouncedValue(text, TYPING_PAUSE_MS);
  const term = interpretPatientSearch(settled);
  const problem = searchProblem(text, settled, term);
  const searchable = term.kind === 'nhi' || term.kind === 'birthdate' || term.kind === 'name' ? term : undefined;
  const query = useQuery({
    ...patientQueries.search(client, searchable ?? { kind: 'name', value: '' }),
    enabled: searchable !== undefined && !problem,
    placeholderData: keepPreviousData,
  });
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const today = clinicDate(new Date(), timeZone);
  const showResults = searchable !== undefined && !problem;
  useEffect(() => {
    if (focusOnOpen) inputRef.current?.focus();
  }, [focusOnOpen]);

  return (
    <div className="patient-search">
      <div role="search" className="field">
        <label htmlFor={inputId} className="field__label">
          Search patients
        </label>
        <p id={hintId} className="field__hint">
          Type a name, an NHI (like ZAC5361) or a birth date (day/month/year).
        </p>
        <input
          ref={inputRef}
          id={inputId}
          className="input"
          type="search"
          autoComplete="off"
          spellCheck={false}
          value={text}
          aria-describedby={problem ? `${errorId} ${hintId}` : hintId}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => moveFocus(event, listRef.current, inputRef.current)}
        />
        {problem && (
          <p id={errorId} className="field__error" role="alert">
            {problem}
          </p>
        )}
      </div>
      {showResults && (
        <section className="results" aria-label="Patients found" aria-busy={query.isFetching}>
          {query.isPending && <Loading label="Searching patients…" />}
          {query.isError && <LoadError error={query.error} onRetry={() => void query.refetch()} />}
          {query.data && query.data.patients.length === 0 && (
            <EmptyState title="No patients match.">Check the spelling, or search by NHI or birth date.</EmptyState>
          )}
          {query.data && query.data.patients.length > 0 && (
            <>
              <p className="results__count" role="status">
                {resultCount(query.data.patients.length, query.data.total, query.data.more)}
              </p>
              <ul
                ref={listRef}
                className="result-list"
                onKeyDown={(event) => moveFocus(event, listRef.current, inputRef.current)}
              >
                {query.data.patients.map((patient) => (
                  <li key={patient.id}>
                    <button type="button" className="result" onClick={() => onChoose(patient)}>
                      <span className="result__name">{humanName(patient.name)}</span>
                      <span className="result__facts">
                        <span>NHI {patientNhi(patient) ?? 'not recorded'}</span>
                        <span>{formatBirthDate(patient.birthDate, today)}</span>
                        <span>{formatGender(patient.gender)}</span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}

/**
 * An NHI's format and check character are judged as soon as all seven characters are there; other
 * problems (a half-typed date) only once typing pauses, so the field does not scold mid-word.
 */
function searchProblem(text: string, settled: string, settledTerm: PatientSearchTerm): string | undefined {
  if (looksLikeNhi(compactNhi(text))) {
    const now = interpretPatientSearch(text);
    return now.kind === 'invalid' ? now.message : undefined;
  }
  return settled === text && settledTerm.kind === 'invalid' ? settledTerm.message : undefined;
}

function resultCount(shown: number, total: number | undefined, more: boolean): string {
  if (total !== undefined && total > shown)
    return `Showing ${shown} of ${total} patients. Type more to narrow the search.`;
  // A server that does not count still says there is a next page.
  if (more) return `Showing the first ${shown} patients: more match. Type more to narrow the search.`;
  return shown === 1 ? '1 patient found.' : `${shown} patients found.`;
}
