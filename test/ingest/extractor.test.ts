// Extraction in worker threads gives exactly what the pipeline gives in this thread, and ingest
// writes the answers in input order whichever worker finishes first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inThreadExtractor, workerExtractor } from '../../src/ingest/extractor.js';
import { islamicStateNames, ahmadShah, strength } from '../fixtures/store-docs.js';

const docs = [...islamicStateNames, ...Object.values(ahmadShah), ...Object.values(strength)].map((d) => ({ id: d.id, text: d.text, published: d.published }));

test('two workers give the same extractions as this thread, each answer for its own document', async () => {
  const here = inThreadExtractor();
  const pool = await workerExtractor(2);
  try {
    assert.equal(pool.parallel, 2);
    const [a, b] = await Promise.all([Promise.all(docs.map((d) => here.extract(d))), Promise.all(docs.map((d) => pool.extract(d)))]);
    for (let i = 0; i < docs.length; i++) {
      assert.equal(b[i].extraction?.document.id, docs[i].id);
      assert.deepEqual(b[i].extraction, a[i].extraction, docs[i].id);
    }
    // an odd input is answered like in this thread, not left hanging
    const odd = { id: 'odd', text: '"'.repeat(50) + ' \u0000 ' + '!'.repeat(50) };
    assert.deepEqual(await pool.extract(odd), await here.extract(odd));
  } finally {
    await pool.close();
    await here.close();
  }
});
