import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentText } from '../../src/text/segment.js';

const cases: [string, string, { kind: string; text: string }[]][] = [
  [
    'caption with a credit after the sentence',
    'Fighters of the group at a camp near Menaka in a file photo. Photo: AFP\n\nThe attack began at dawn.',
    [
      { kind: 'caption', text: 'Fighters of the group at a camp near Menaka in a file photo.' },
      { kind: 'credit', text: 'Photo: AFP' },
      { kind: 'paragraph', text: 'The attack began at dawn.' },
    ],
  ],
  [
    'credit naming an agency and a photographer',
    'Troops patrol a road outside Goma on January 27, 2025. Photo: Reuters / Arlette Bashizi\n\nM23 rebels entered the city.',
    [
      { kind: 'caption', text: 'Troops patrol a road outside Goma on January 27, 2025.' },
      { kind: 'credit', text: 'Photo: Reuters / Arlette Bashizi' },
      { kind: 'paragraph', text: 'M23 rebels entered the city.' },
    ],
  ],
  [
    'headline, then paragraphs, then a caption without a final period',
    'Rebels seize border town in Myanmar\n\nThe Arakan Army said on Monday it had taken Paletwa.\n\nSoldiers of the junta in Sittwe. Photograph: Sai Aung Main / AFP via Getty Images',
    [
      { kind: 'title', text: 'Rebels seize border town in Myanmar' },
      { kind: 'paragraph', text: 'The Arakan Army said on Monday it had taken Paletwa.' },
      { kind: 'caption', text: 'Soldiers of the junta in Sittwe.' },
      { kind: 'credit', text: 'Photograph: Sai Aung Main / AFP via Getty Images' },
    ],
  ],
];

for (const [name, text, want] of cases) {
  test(`segmentText: ${name}`, () => {
    const got = segmentText(text).map((s) => ({ kind: s.kind, text: text.slice(s.start, s.end) }));
    assert.deepEqual(got, want);
  });
}

test('segmentText: a quoted sentence ending "Photo" in the body is not a credit', () => {
  const text = 'Officials said the image was doctored.\n\n"We have the original photo," the spokesman said.';
  const kinds = segmentText(text).map((s) => s.kind);
  assert.ok(!kinds.includes('credit'));
});
