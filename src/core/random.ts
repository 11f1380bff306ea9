// Seeded randomness (DESIGN principle 5): the same seed and key give the same sequence on every run and
// every process. xoshiro128** seeded from SHA-256 of the key; fast, small state, good enough for simulation.
import { createHash } from 'node:crypto';

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
}

export function seededRandom(...key: readonly (string | number)[]): Random {
  const digest = createHash('sha256').update(key.join('\u0000')).digest();
  let a = digest.readUInt32LE(0), b = digest.readUInt32LE(4), c = digest.readUInt32LE(8), d = digest.readUInt32LE(12);
  if ((a | b | c | d) === 0) a = 1;
  const nextU32 = () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = () => nextU32() / 4294967296;
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
