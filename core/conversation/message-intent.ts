import { z } from 'zod';

/**
 * What a seller's chat message asks for. Parsing is forgiving about phrasing, case and punctuation,
 * and total: every text, however long, empty or odd, gets an intent (never an exception).
 */
export type Intent =
  | { kind: 'help' }
  | { kind: 'thanks' }
  | { kind: 'account'; query: string }
  | { kind: 'stale' }
  | { kind: 'at-risk' }
  | { kind: 'unanswered' }
  | { kind: 'top' }
  | { kind: 'mine' }
  | { kind: 'empty' }
  | { kind: 'too-long'; length: number }
  | { kind: 'unknown'; text: string };

/** Longer messages are not read: no account name or question is that long. */
export const MAX_MESSAGE_LENGTH = 500;
/** A bare phrase longer than this many words is a sentence, not an account name. */
const MAX_NAME_WORDS = 6;
export const MAX_NAME_LENGTH = 80;
/** A bare phrase opening like a question or a request is not an account name. */
const SENTENCE_START =
  /^(what|what's|whats|why|when|where|who|whom|which|can|could|would|will|do|does|did|is|are|should|please|i|i'm|im|tell|send|make|set|create|delete|remove|add)\b/;

const messageText = z.string().max(MAX_MESSAGE_LENGTH);

const HELP =
  /^(help|hi|hello|hey|hallo|start|menu|commands?|what can you do|what do you do|how does this work|how do i use (this|you)|how are you( doing)?)$/;
const THANKS = /^(thanks?( you)?|thx|ty|ok(ay)?|cool|great|nice|perfect|got it)$/;
const STALE =
  /^((show|list|find|give)( me)? )?((the|my|which|what) )?(stale|quiet|inactive|dormant|neglected)( accounts?| customers?| ones)?( are (stale|quiet))?( please)?$|^which (accounts|customers) (are|have gone|went) (stale|quiet|inactive|cold)$|^(accounts|customers) (going|gone) (quiet|cold|stale)$/;
const AT_RISK =
  /^((show|list|find|give)( me)? )?((the|my|which|what) )?(((accounts?|customers?) )?(at|in) (risk|danger)|(at[- ]risk|risky) (accounts?|customers?|ones))( please)?$|^which (accounts|customers) are (at risk|in danger|risky)$/;
const UNANSWERED =
  /^((show|list|find|give)( me)? )?((the|my|which|what) )?(unanswered|ignored|unresponsive)( accounts?| customers?| ones| emails?)?( please)?$|^(accounts|customers) (not (replying|answering|responding)|ignoring (us|me))$|^(which|what) (accounts|customers) (are not|aren't) (replying|answering|responding)$|^(who|which (accounts|customers)) (has not|hasn't|have not|haven't|did not|didn't) (replied|answered|responded|reply|answer|respond)( to (us|me|my emails|our emails))?$/;
const TOP =
  /^((show|list|find|give)( me)? )?(the )?((top|best|most engaged|hottest|strongest)( \d{1,3})?)( accounts?| customers?)?( please)?$/;
const MINE =
  /^((show|list|give)( me)? )?(my|mine|my own)( accounts?| customers?| book| portfolio)?( please)?$|^(accounts|customers) i own$|^what do i own$/;

/** Phrasings that put the account name after (or around) fixed words. */
const ACCOUNT_PATTERNS: RegExp[] = [
  /^(what is |what's |whats |show( me)? |get |give me )?(the )?(engagement|engagement score|score|customer card|card|status|health)( (for|of|with|on|at))? (?<name>.+)$/d,
  /^how (engaged|active|healthy|warm) (is|are) (?<name>.+?)( (now|today|lately|these days))?$/d,
  /^how (is|are) (we doing with |things with |our relationship with )?(?<name>.+?)( doing)?$/d,
  /^how are we doing (with|on) (?<name>.+)$/d,
  /^(show|find|open|look up|lookup|get|display)( me)?( the)?( account| customer)? (?<name>.+)$/d,
  /^(tell me about|what about|anything on|info on|details (for|on|of)|account|customer) (?<name>.+)$/d,
  /^(?<name>.+?) (engagement|score|card|status)$/d,
];

/** Plain text of a chat message: markup and entities of Teams HTML removed, whitespace collapsed. */
export function plainText(text: string): string {
  return text
    .replace(/<at>.*?<\/at>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

const ENDS = /^[\s"'“”.,;:!?¿¡-]+|[\s"'“”.,;:!?-]+$/g;

function accountName(candidate: string): string | undefined {
  const name = candidate
    .replace(/^(the|our|account|customer)\s+/i, '')
    .replace(/\s+(please|pls|now|today)$/i, '')
    .replace(/^[\s"'“”]+|[\s"'“”?!.]+$/g, '');
  if (!name || name.length > MAX_NAME_LENGTH) return undefined;
  return name;
}

/** The intent of a message's text (a mention of the bot already removed). */
export function parseIntent(rawText: unknown): Intent {
  const checked = messageText.safeParse(typeof rawText === 'string' ? rawText : '');
  if (!checked.success) return { kind: 'too-long', length: String(rawText).length };
  // Patterns read the lower-case phrase; names keep the case the seller typed.
  const text = plainText(checked.data).replace(/[‘’]/g, "'").replace(ENDS, '');
  const lower = text.toLowerCase();
  const original = lower.length === text.length ? text : lower;
  if (!lower) return { kind: 'empty' };
  if (HELP.test(lower)) return { kind: 'help' };
  if (THANKS.test(lower)) return { kind: 'thanks' };
  if (STALE.test(lower)) return { kind: 'stale' };
  if (AT_RISK.test(lower)) return { kind: 'at-risk' };
  if (UNANSWERED.test(lower)) return { kind: 'unanswered' };
  if (TOP.test(lower)) return { kind: 'top' };
  if (MINE.test(lower)) return { kind: 'mine' };

  for (const pattern of ACCOUNT_PATTERNS) {
    const span = pattern.exec(lower)?.indices?.groups?.name;
    const name = span ? accountName(original.slice(span[0], span[1])) : undefined;
    if (name) return { kind: 'account', query: name };
  }
  const words = lower.split(' ').length;
  if (words <= MAX_NAME_WORDS && lower.length <= MAX_NAME_LENGTH && !SENTENCE_START.test(lower)) {
    const name = accountName(original);
    if (name) return { kind: 'account', query: name };
  }
  return { kind: 'unknown', text: text.slice(0, 120) };
}
