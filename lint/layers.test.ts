/**
 * The lint really holds the layers: an import planted against each kind of arrow fails, and the same
 * import in the allowed direction passes. The planted files are linted as text; nothing is written.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result.messages
    .filter((message) => message.ruleId === 'import-x/no-restricted-paths')
    .map((message) => message.message);
}

describe('the one-way layers', () => {
  it.each([
    [
      'storage importing the appointment service',
      'server/storage/planted.ts',
      "export { bookAppointment } from '../appointments/booking';",
    ],
    ['search importing http', 'server/search/planted.ts', "export { fhirRoutes } from '../http/fhirRoutes';"],
    [
      'the database client importing storage',
      'server/database/planted.ts',
      "export { SqlFhirStore } from '../storage/sqlFhirStore';",
    ],
    ['auth importing http', 'server/auth/planted.ts', "export { versionHeaders } from '../http/fhirReply';"],
    [
      'the server importing the app',
      'server/http/planted.ts',
      "export { formatClinicTime } from '../../src/lib/format';",
    ],
    ['the app importing the server', 'src/lib/planted.ts', "export { FhirError } from '../../server/core/fhirError';"],
    ['domain importing the app', 'domain/planted.ts', "export { formatClinicTime } from '../src/lib/format';"],
    [
      'a feature importing another feature',
      'src/features/slots/planted.ts',
      "export { useBookAppointment } from '../booking/api/useBookAppointment';",
    ],
    [
      'shared code importing a feature',
      'src/components/planted.ts',
      "export { patientQueries } from '../features/patients/api/patientQueries';",
    ],
    ['a feature importing the app', 'src/features/patients/planted.ts', "export { App } from '../../app/App';"],
  ])('refuses %s', async (_name, filePath, source) => {
    expect(await layerErrors(filePath, source)).toHaveLength(1);
  });

  it.each([
    [
      'http importing the appointment service',
      'server/http/planted.ts',
      "export { bookAppointment } from '../appointments/booking';",
    ],
    [
      'storage importing the database client',
      'server/storage/planted.ts',
      "export { openPglite } from '../database/pgliteClient';",
    ],
    ['the server importing domain', 'server/core/planted.ts', "export { issue } from '../../domain/operationOutcome';"],
    ['the app importing domain', 'src/lib/planted.ts', "export { issue } from '../../domain/operationOutcome';"],
    [
      'the app importing a feature',
      'src/app/planted.ts',
      "export { patientQueries } from '../features/patients/api/patientQueries';",
    ],
  ])('allows %s', async (_name, filePath, source) => {
    expect(await layerErrors(filePath, source)).toEqual([]);
  });
});
