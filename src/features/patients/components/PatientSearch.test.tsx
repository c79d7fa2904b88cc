import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NHI_SYSTEM } from '../../../../domain/identifiers';
import { createWorld, fhirHandlers, type FhirWorld } from '../../../test/fhirFixtures';
import { renderApp } from '../../../test/renderApp';
import { PatientSearch } from './PatientSearch';

let world: FhirWorld;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = createWorld();
  server.use(...fhirHandlers(world));
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function patientSearches() {
  return world.requests.filter((request) => request.startsWith('GET /Patient'));
}

describe('PatientSearch', () => {
  it('has the focus when the screen opens for searching, so the desk can type at once', () => {
    renderApp(<PatientSearch onChoose={() => {}} focusOnOpen />);
    expect(screen.getByLabelText('Search patients')).toHaveFocus();
  });

  it('searches an NHI typed with a space as that NHI', async () => {
    const user = userEvent.setup();
    renderApp(<PatientSearch onChoose={() => {}} />);
    await user.type(screen.getByLabelText('Search patients'), 'ZAC 5361');
    await waitFor(() =>
      expect(patientSearches()).toEqual([
        `GET /Patient?identifier=${encodeURIComponent(`${NHI_SYSTEM}|ZAC5361`)}&_count=20`,
      ]),
    );
  });

  it('says why an NHI with a wrong check character is wrong, without asking the server', async () => {
    const user = userEvent.setup();
    renderApp(<PatientSearch onChoose={() => {}} />);
    await user.type(screen.getByLabelText('Search patients'), 'ZAC5362');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'ZAC5362 is not a valid NHI: its check character does not match.',
    );
    expect(screen.getByLabelText('Search patients')).toHaveAttribute('aria-invalid', 'true');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(patientSearches()).toEqual([]);
  });

  it('explains the NHI format when a letter is one NHIs never use', async () => {
    const user = userEvent.setup();
    renderApp(<PatientSearch onChoose={() => {}} />);
    await user.type(screen.getByLabelText('Search patients'), 'ZAI5361');
    expect(await screen.findByRole('alert')).toHaveTextContent('3 letters (not I or O)');
  });

  it('searches a valid NHI by identifier and shows name, NHI, birth date with age and gender', async () => {
    const user = userEvent.setup();
    renderApp(<PatientSearch onChoose={() => {}} />);
    await user.type(screen.getByLabelText('Search patients'), 'zac5361');
    const result = await screen.findByRole('button', { name: /Aroha Ngata/ });
    expect(result).toHaveTextContent('NHI ZAC5361');
    expect(result).toHaveTextContent(/19 Jul 1984 \(\d+ y\)/);
    expect(result).toHaveTextContent('Female');
    expect(patientSearches()).toEqual([
      `GET /Patient?identifier=${encodeURIComponent(`${NHI_SYSTEM}|ZAC5361`)}&_count=20`,
    ]);
  });

  it('searches a day/month/year birth date as a FHIR date', async () => {
    const user = userEvent.setup();
    renderApp(<PatientSearch onChoose={() => {}} />);
    await user.type(screen.getByLabelText('Search patients'), '19/07/1984');
    await screen.findByRole('button', { name: /Aroha Ngata/ });
    expect(patientSearches()).toContain('GET /Patient?birthdate=1984-07-19&_count=20');
  });

  it('lets the keyboard reach and choose a result', async () => {
    const user = userEvent.setup();
    const onChoose = vi.fn();
    renderApp(<PatientSearch onChoose={onChoose} />);
    await user.type(screen.getByLabelText('Search patients'), 'Aroha');
    const result = await screen.findByRole('button', { name: /Aroha Ngata/ });
    await user.keyboard('{ArrowDown}');
    expect(result).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(onChoose).toHaveBeenCalledWith(expect.objectContaining({ id: 'pat-1' })));
    expect(patientSearches()).toEqual(['GET /Patient?name=Aroha&_count=20']);
  });
});
