// Standard normal numbers from a seeded uniform generator (Box–Muller), for noise that repeats with its seed.

/**
 * Standard normal numbers from uniform ones in [0, 1), two per pair of draws (Box–Muller): the second of each pair is
 * kept and returned by the next call, so a stream of calls consumes the uniform generator in a fixed order.
 */
export function gaussian(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform())); // 1 − u ∈ (0, 1], so the log is finite
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
