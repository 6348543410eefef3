// Reading a prediction from logits: the class (the first of equal maxima, as numpy's argmax)
// and the k best, shared by the command's report and the web page.

/** The index of the largest value (the first of equal ones). */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** The indices of the k largest values, largest first (ties: the lower index first). */
export function topK(v: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: v.length }, (_, i) => i)
    .sort((a, b) => v[b]! - v[a]! || a - b)
    .slice(0, k);
}
