import { gunzipSync } from 'node:zlib';
import type { Resource, Slot } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import type { SearchRequest } from '../search/parseSearch';
import type { SearchResult } from '../storage/searchSpec';
import { partsBody } from './partsBody';
import { searchBundle, searchEntries, searchEnvelope } from './searchBundle';

const BASE = 'https://clinic.example.nz/fhir';

const slot = (day: number, minutes: number): Slot => ({
  resourceType: 'Slot',
  id: `slot-${day}-${minutes}`,
  meta: { versionId: '2', lastUpdated: '2030-03-04T00:00:00.000Z' },
  schedule: { reference: 'Schedule/sched-1' },
  status: 'free',
  start: `2030-03-0${day}T09:${String(minutes).padStart(2, '0')}:00+13:00`,
  end: `2030-03-0${day}T09:${String(minutes + 15).padStart(2, '0')}:00+13:00`,
  comment: 'Māori health: kia ora "quoted" \\ back',
});

const day = (matches: Resource[]): SearchResult<Resource> => ({ total: matches.length, matches, included: [] });

/** A week as storage gives it searched day by day: the days' matches in turn, an empty day among them. */
function week(): SearchResult<Resource> {
  const parts = [day([slot(4, 0), slot(4, 15)]), day([]), day([slot(6, 30)]), day([slot(7, 0), slot(7, 15)])];
  const matches = parts.flatMap((part) => part.matches);
  return { total: matches.length, matches, included: [], parts };
}

function request(shape: SearchRequest['shape'] = {}): SearchRequest {
  return {
    spec: { resourceType: 'Slot', criteria: [], count: 1000, offset: 0, descending: false, include: [] },
    shape,
    applied: [['schedule', 'Schedule/sched-1']],
  } as SearchRequest;
}

/** The body put together from the parts: a week seen for the first time is left to be written whole, so it is asked twice. */
function bodyOf(result: SearchResult<Resource>, searched: SearchRequest, entriesOf = searchEntriesOf(searched)) {
  const assemble = () =>
    partsBody(
      searchEnvelope(BASE, searched, result),
      result.parts as Array<SearchResult<Resource>>,
      JSON.stringify([BASE, searched.shape]),
      entriesOf,
    );
  const made = assemble() ?? assemble();
  if (!made) throw new Error('a week seen before was not put together from its parts');
  return made;
}

const searchEntriesOf = (searched: SearchRequest) => (part: SearchResult<Resource>) =>
  searchEntries(BASE, searched.shape, part.matches, 'match');

describe('partsBody', () => {
  it('leaves a week seen for the first time to be written whole, and puts it together from its days after', () => {
    const result = week();
    const assemble = () =>
      partsBody(searchEnvelope(BASE, request(), result), result.parts ?? [], 'way', searchEntriesOf(request()));
    expect(assemble()).toBeUndefined();
    expect(assemble()?.body.toString()).toBe(JSON.stringify(searchBundle(BASE, request(), result)));
  });

  it('writes exactly the bytes of the whole Bundle, with and without _elements', () => {
    const result = week();
    for (const searched of [request(), request({ elements: ['start', 'status'] })]) {
      const { body } = bodyOf(result, searched);
      expect(body.toString()).toBe(JSON.stringify(searchBundle(BASE, searched, result)));
    }
    const empty: SearchResult<Resource> = { total: 0, matches: [], included: [], parts: [day([]), day([])] };
    expect(bodyOf(empty, request()).body.toString()).toBe(JSON.stringify(searchBundle(BASE, request(), empty)));
  });

  it('gzips to one member any decoder reads back as the body: zlib, and the web DecompressionStream', async () => {
    const { body, gzip } = bodyOf(week(), request());
    const compressed = gzip();
    expect(compressed.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(compressed).equals(body)).toBe(true);
    const streamed = new Response(
      new Blob([new Uint8Array(compressed)]).stream().pipeThrough(new DecompressionStream('gzip')),
    );
    expect(Buffer.from(await streamed.arrayBuffer()).equals(body)).toBe(true);
  });

  it("writes a kept part's entries once, and again only for another way of writing them", () => {
    const result = week();
    let written = 0;
    const counting = (searched: SearchRequest) => (part: SearchResult<Resource>) => {
      written += 1;
      return searchEntriesOf(searched)(part);
    };
    bodyOf(result, request(), counting(request()));
    expect(written).toBe(3);
    // A booking changed one day: only that day is written again.
    const changed = { ...result, parts: [...(result.parts ?? [])] };
    changed.parts[2] = day([]);
    changed.matches = changed.parts.flatMap((part) => part.matches);
    changed.total = changed.matches.length;
    const { body } = bodyOf(changed, request(), counting(request()));
    expect(written).toBe(3);
    expect(body.toString()).toBe(JSON.stringify(searchBundle(BASE, request(), changed)));
    bodyOf(result, request({ elements: ['start'] }), counting(request({ elements: ['start'] })));
    expect(written).toBe(6);
  });
});
