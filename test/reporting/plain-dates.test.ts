import { demoUsers } from '../../server/src/db/seed/demo-identity';
import { purposeFor } from '../support/purposes';
import { plainDate, plainDateTime } from '../../server/src/shared/plain-dates';
import { ISO_DATE } from '../support/dates';
import { createTestApp, type TestApp } from '../support/test-app';

/** Dates inside the messages people read are in words, never ISO (server/src/shared/plain-dates.ts). */

describe('plain dates in messages', () => {
  it('writes a calendar date as "5 December 2026", and a timestamp as its day and time in UTC', () => {
    expect(plainDate('2026-12-05')).toBe('5 December 2026');
    expect(plainDate('2027-01-01')).toBe('1 January 2027');
    // A timestamp's day is its day in UTC, whatever the offset it was written with.
    expect(plainDate('2026-12-05T23:30:00-02:00')).toBe('6 December 2026');
    expect(plainDate(new Date(Date.UTC(2026, 1, 28, 12)))).toBe('28 February 2026');
    expect(plainDateTime('2026-12-05T14:05:09Z')).toBe('5 December 2026 at 14:05 UTC');
    expect(plainDateTime('2026-12-05T00:30:00+01:00')).toBe('4 December 2026 at 23:30 UTC');
    expect(() => plainDate('2026-13-45')).toThrow(RangeError);
    expect(() => plainDate('soon')).toThrow(RangeError);
  });

  describe('on the demo data', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp({ seed: 'demo' });
    });
    afterAll(() => app?.stop());

    it('no insight and no quality gate problem, for any demo user, holds an ISO date; those with dates have them in words', async () => {
      const messages: string[] = [];
      let answered = 0;
      for (const { username } of demoUsers) {
        const result = await app.gql(
          username,
          `{ insights(limit: 100) { items { summary } }
             plans(first: 100) { edges { node { quality { problems { message } } } } } }`,
          {},
          { purpose: purposeFor(username) }, // each user's own purpose (purposes are bound to roles)
        );
        // Some users may not read insights or plans for this purpose: what they do get is checked.
        if (!result.data) continue;
        answered += 1;
        messages.push(...(result.data.insights?.items ?? []).map((i: { summary: string }) => i.summary));
        for (const { node } of result.data.plans?.edges ?? []) messages.push(...(node.quality?.problems ?? []).map((p: { message: string }) => p.message));
      }
      expect(answered).toBeGreaterThan(3);
      expect(messages.filter((m) => ISO_DATE.test(m))).toEqual([]);
      // The demo data has overdue reviews and threats without recent disruption: dates in words.
      const worded = messages.filter((m) => / on \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b/.test(m));
      expect(worded.length).toBeGreaterThan(0);
    });
  });
});
