/** Upper bounds of up to 5 colour classes at the quintiles of the values (fewer when values repeat). */
export function classBreaks(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks = [1, 2, 3, 4, 5].map(
    (i) => sorted[Math.min(sorted.length - 1, Math.ceil((i * sorted.length) / 5) - 1)]!,
  );
  return breaks.filter((b, i) => i === 0 || b !== breaks[i - 1]);
}

/** The class (0-based) of a value. */
export function classOf(value: number, breaks: number[]): number {
  const i = breaks.findIndex((b) => value <= b);
  return i === -1 ? breaks.length - 1 : i;
}

/**
 * The colour of a class on a scale of `scale` colours: classes are spread over the whole scale, so that two classes
 * are the lightest and the darkest colour rather than the two lightest.
 */
export function colourIndex(klass: number, classes: number, scale: number): number {
  if (classes <= 1) return scale - 1;
  return Math.round((klass * (scale - 1)) / (classes - 1));
}
