/**
 * How the database runs a name search, not only what it finds: on a vacuumed store (as the seed and
 * the server's idle maintenance leave it) the words' ids come from migration 8's index alone, with
 * no visit to the rows. A name search's time at scale was mostly those visits, one page per word.
 */
import type { Patient } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../database/pgliteClient';
import type { SqlClient } from '../database/sqlClient';
import { NOW } from '../test/fixtures';
import type { SearchSpec } from './searchSpec';
import { searchSql } from './searchSql';
import { SqlFhirStore } from './sqlFhirStore';

const FAMILIES = ['Young', 'Ngata', "O'Brien", 'Smith', 'Tane', 'Walker', 'Jones', 'Parata'];
const GIVEN = ['James', 'Mere', 'Aroha', 'Wiremu', 'Sarah', 'Hemi'];
/** Enough patients that the planner prefers an index to reading the table. */
const PATIENTS = 3_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

let sql: SqlClient;
beforeAll(async () => {
  sql = await openPglite(undefined);
  const store = await SqlFhirStore.open(sql);
  const patients = Array.from({ length: PATIENTS }, (_, index): Patient => ({
    resourceType: 'Patient',
    id: `pat-${index}`,
    name: [{ family: FAMILIES[index % FAMILIES.length], given: [GIVEN[index % GIVEN.length]] }],
  }));
  await store.bulkLoad(patients, NOW);
  await sql.query('VACUUM (ANALYZE) search_string');
}, 60_000);
afterAll(() => sql.close());

async function searchStringScans(spec: SearchSpec): Promise<PlanNode[]> {
  const { page, total } = searchSql(spec);
  const scans = [];
  for (const statement of [page, total]) {
    const [row] = await sql.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
      statement.values,
    );
    scans.push(...nodes(row['QUERY PLAN'][0].Plan).filter((node) => node['Relation Name'] === 'search_string'));
  }
  return scans;
}

const byName = (words: string[]): SearchSpec => ({
  resourceType: 'Patient',
  criteria: [{ kind: 'words', param: 'name', words }],
  count: 50,
  offset: 0,
  descending: false,
  include: [],
});

describe('a name search on a vacuumed store', () => {
  it.each([
    ['the first letters of a surname', ['you']],
    ['a whole name', ['james', 'young']],
    ['a surname typed without its apostrophe', ['obri']],
  ])('reads %s from the index alone', async (_, words) => {
    const scans = await searchStringScans(byName(words));
    // One scan per word in each of the page and the total.
    expect(scans).toHaveLength(words.length * 2);
    for (const scan of scans) {
      expect(scan).toMatchObject({ 'Node Type': 'Index Only Scan', 'Index Name': 'search_string_words' });
      expect(scan['Heap Fetches']).toBe(0);
    }
  });
});
