import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDates } from '../../src/extract/resolve-dates.js';

// [text, published, expected [surface, value] pairs]
const cases: [string, string | undefined, [string, string][]][] = [
  ['JNIM fighters attacked the base in November 2019 and again in early 2020.', '2021-08-13', [['November 2019', '2019-11'], ['early 2020', '2020']]],
  ['In mid-July, the Houthis fired missiles at a tanker.', '2024-08-02', [['mid-July', '2024-07']]],
  ['Exercises were held between August 5 and 10, 2021 near the border.', '2021-08-13', [['between August 5 and 10, 2021', '2021-08-05/2021-08-10']]],
  ['Talks in Havana ran from 12 to 14 May 2023.', undefined, [['12 to 14 May 2023', '2023-05-12/2023-05-14']]],
  ['On July 7, the envoy requested help.', '2021-08-13', [['July 7', '2021-07-07']]],
  ['The late-December offensive began on December 28, 2023.', '2024-01-10', [['December 28, 2023', '2023-12-28']]],
  ['Georgia withdrew from the treaty in 1997 under a 2013 resolution.', '2021-08-13', [['1997', '1997'], ['2013', '2013']]],
  ['Rebels struck Goma last Tuesday.', '2025-01-30', [['last Tuesday', '2025-01-28']]],
];

for (const [text, published, want] of cases) {
  test(`findDates: ${text}`, () => {
    const got = findDates(text, published);
    for (const [surface, value] of want) {
      const d = got.find((x) => x.text.includes(surface) || surface.includes(x.text));
      assert.ok(d, `no date for "${surface}" in ${JSON.stringify(got)}`);
      assert.equal(d.value, value);
      assert.equal(text.slice(d.start, d.end), d.text);
    }
  });
}

test('findDates: counts, page numbers and durations are not dates', () => {
  const text = 'The army deployed 2,500 troops for several years, page 2019 of the report says, with 1998 soldiers.';
  assert.deepEqual(findDates(text, '2021-01-01').map((d) => d.text), []);
});
