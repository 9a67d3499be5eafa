// The stored form of an extraction: its JSON, deflated. An extraction is about twelve times the
// size of its text (every span repeats its words); deflate makes it a fifth of that, which is
// most of the store's size and most of what a commit writes.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Extraction } from '../model/contract.js';

export function encodeExtraction(x: Extraction): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(x), 'utf8'), { level: 4 });
}

export function decodeExtraction(stored: Uint8Array): Extraction {
  return JSON.parse(inflateRawSync(stored).toString('utf8')) as Extraction;
}
