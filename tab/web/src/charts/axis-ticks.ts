/** Roughly how wide one character of an axis label is, and the room kept between two labels (px). */
const CHAR_PX = 7;
const GAP_PX = 20;
/** The y-axis and margins the chart keeps beside the bars. */
const AXIS_PX = 60;

/**
 * The labels to show on a category axis `width` pixels wide: all of them when they fit side by
 * side, else every n-th one counted back from the last (the latest period is always labelled).
 * A width of 0 (not measured yet) keeps every label.
 */
export function axisTicks(labels: readonly string[], width: number): string[] {
  if (width <= 0 || labels.length === 0) return [...labels];
  const longest = Math.max(...labels.map((l) => l.length));
  const room = Math.max(1, Math.floor((width - AXIS_PX) / (longest * CHAR_PX + GAP_PX)));
  if (labels.length <= room) return [...labels];
  const step = Math.ceil(labels.length / room);
  const last = labels.length - 1;
  return labels.filter((_, i) => (last - i) % step === 0);
}
