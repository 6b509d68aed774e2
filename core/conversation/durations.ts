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

/**
 * An average reply time (AverageDuration_Of_AccountEmailReplies, hours): "under an hour", hours
 * to one decimal below two days ("5.5 h"), days to one decimal from then on ("2.5 days").
 */
export function formatReplyTime(hours: number, locale?: string): string {
  if (hours < 1) return 'under an hour';
  if (hours < 48) return `${decimal(locale).format(hours)} h`;
  return `${decimal(locale).format(hours / 24)} days`;
}
