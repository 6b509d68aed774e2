/**
 * Durations as both the bot's cards and the tab show them. Pure (no Node APIs), so the tab's web
 * code can import it too.
 */

const formats = new Map<string, Intl.NumberFormat>();

function decimal(locale: string | undefined): Intl.NumberFormat {
  const key = locale ?? '';
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    formats.set(key, format);
  }
  return format;
}

/**
 * An average meeting length (AverageDuration_Of_Meetings, minutes): rounded to one decimal at
 * most, in minutes whatever its length ("45 min", "47.5 min", "95.3 min"). `locale` is the
 * reader's (the tab: the browser's; the bot's cards are English, `en-US`).
 */
export function formatMeetingLength(minutes: number, locale?: string): string {
  return `${decimal(locale).format(minutes)} min`;
}
