// The k-th smallest value of an array in linear expected time (quickselect), for percentiles of long clips.

/** The value of rank `rank` (0 = smallest) in `values`, which is reordered in place. */
export function selectRank(values: Float32Array, rank: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    // Median of three as pivot; Hoare partition keeps runs of equal values balanced.
    const middle = (low + high) >>> 1;
    const pivot = medianOfThree(values[low], values[middle], values[high]);
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (rank <= j) high = j;
    else if (rank >= i) low = i;
    else return values[rank];
  }
  return values[rank];
}

function medianOfThree(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
