/** The journeys' `test` (fixtures hand their value to `provide`, Playwright's `use`): an API client signed in as the machine client, and a page that must never raise a JS dialog. */
import { test as base, expect } from '@playwright/test';
import { FhirApi } from './fhirApi';

export interface JourneyFixtures {
  api: FhirApi;
  /** Messages of any alert/confirm/prompt the page raised: none is ever expected, so each fails the test. */
  dialogs: string[];
}

export const test = base.extend<JourneyFixtures>({
  api: async ({ request }, provide) => {
    await provide(await FhirApi.signIn(request));
  },
  dialogs: [
    async ({ page }, provide) => {
      const raised: string[] = [];
      page.on('dialog', (dialog) => {
        raised.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await provide(raised);
      expect(raised, 'JavaScript dialogs raised by the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
