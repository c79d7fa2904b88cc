import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig, parseConfig, type TabCache } from './config';

const APP = 'http://app.test/';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let requests: number;
let tab: TabCache & { values: Map<string, string> };
beforeEach(() => {
  requests = 0;
  const values = new Map<string, string>();
  tab = { values, getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) };
});

const answering = (respond: () => Response) =>
  server.use(
    http.get(`${APP}config.json`, () => {
      requests += 1;
      return respond();
    }),
  );

describe('config.json once per tab', () => {
  it('is read from the server on the first page load and from the tab on the next', async () => {
    answering(() => HttpResponse.json({ fhirBaseUrl: 'https://fhir.example.nz/r4', timeZone: 'Pacific/Chatham' }));
    const first = await loadConfig(APP, tab);
    const second = await loadConfig(APP, tab);
    expect(first).toEqual({
      ...DEFAULT_CONFIG,
      fhirBaseUrl: 'https://fhir.example.nz/r4',
      timeZone: 'Pacific/Chatham',
    });
    expect(second).toEqual(first);
    expect(requests).toBe(1);
  });

  it('keeps no failure: the next page load asks again', async () => {
    answering(() => new HttpResponse(null, { status: 503 }));
    expect(await loadConfig(APP, tab)).toEqual(DEFAULT_CONFIG);
    answering(() => HttpResponse.json({ fhirBaseUrl: '/r4' }));
    expect((await loadConfig(APP, tab)).fhirBaseUrl).toBe('/r4');
    expect(requests).toBe(2);
  });

  it('checks what the tab kept as it checks the file, and asks again when it is unreadable', async () => {
    answering(() => HttpResponse.json({ fhirBaseUrl: '/fhir' }));
    tab.setItem('nz-appointments.config', '{not json');
    expect((await loadConfig(APP, tab)).fhirBaseUrl).toBe('/fhir');
    tab.setItem('nz-appointments.config', JSON.stringify({ fhirBaseUrl: '/kept', timeZone: 'Not/AZone' }));
    expect(await loadConfig(APP, tab)).toEqual({ ...DEFAULT_CONFIG, fhirBaseUrl: '/kept' });
    expect(requests).toBe(1);
  });

  it('asks every time without a cache', async () => {
    answering(() => HttpResponse.json({}));
    await loadConfig(APP);
    await loadConfig(APP);
    expect(requests).toBe(2);
  });
});

describe('parseConfig', () => {
  it("takes the patients' cut-off in whole minutes", () => {
    expect(parseConfig({ patientChangeCutoffMinutes: 120 }).patientChangeCutoffMinutes).toBe(120);
    expect(parseConfig({ patientChangeCutoffMinutes: 0 }).patientChangeCutoffMinutes).toBe(0);
  });

  it('knows no cut-off when the file does not say, or says something that is not a number of minutes', () => {
    for (const value of [undefined, null, '120', -5, 1.5, Number.NaN])
      expect(parseConfig({ patientChangeCutoffMinutes: value }).patientChangeCutoffMinutes).toBeNull();
    expect(parseConfig(undefined)).toEqual(DEFAULT_CONFIG);
  });
});
