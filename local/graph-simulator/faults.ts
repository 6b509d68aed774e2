/**
 * Fault injection, changeable at runtime: throttling (429 with Retry-After), 503, slow responses,
 * connections dropped mid-response, mailboxes the app may not read (403), and Outlook's per-mailbox
 * limits, which are on by default (concepts/throttling-limits.md, "Outlook service limits": 10,000
 * API requests in a 10 minute period and 4 concurrent requests per app and mailbox). Random faults
 * come from a seeded generator, so a run is repeatable for a given order of requests.
 */
import { Random } from './random';

export type FaultKind = 'throttle' | 'unavailable' | 'slow' | 'drop';

/** Outlook: at most 4 concurrent requests per app and mailbox (throttling-limits.md). */
export const DEFAULT_MAILBOX_CONCURRENCY_LIMIT = 4;

export interface MailboxRequestLimit {
  /** Requests admitted per mailbox within any window of `windowMs` (a sliding window). */
  readonly requests: number;
  readonly windowMs: number;
}

/** Outlook: 10,000 API requests in a 10 minute period per app and mailbox (throttling-limits.md). */
export const DEFAULT_MAILBOX_REQUEST_LIMIT: MailboxRequestLimit = Object.freeze({
  requests: 10_000,
  windowMs: 600_000,
});

export interface FaultRule {
  kind: FaultKind;
  /** Only requests whose path (below /v1.0, with query) contains this text, or matches this pattern. */
  path?: string | RegExp;
  /** Only requests to these mailboxes (user id, mail or userPrincipalName). */
  mailbox?: string | readonly string[];
  /** Only this HTTP method. */
  method?: string;
  /** Chance per matching request, 0..1. Without probability, first and sequence: every matching request. */
  probability?: number;
  /** The first N matching requests. */
  first?: number;
  /** Per matching request in order: true = fault. Past its end, `first`/`probability` decide. */
  sequence?: readonly boolean[];
  /** throttle (default 1) and unavailable (default: no header): the Retry-After seconds. */
  retryAfterSeconds?: number;
  /** slow: added delay before the response (default 500 ms). */
  delayMs?: number;
}

export interface FaultSettings {
  /** Seed of the generator behind `probability` (default 1). */
  seed?: number;
  rules?: readonly FaultRule[];
  /** Mailboxes the app has no access to: 403 ErrorAccessDenied on their mail and calendar. */
  deniedMailboxes?: readonly string[];
  /**
   * More concurrent requests than this to one mailbox get 429 ApplicationThrottled. Default 4
   * (`DEFAULT_MAILBOX_CONCURRENCY_LIMIT`); `null` switches the limit off.
   */
  mailboxConcurrencyLimit?: number | null;
  /**
   * Requests per mailbox in a sliding window; one more gets 429 TooManyRequests with Retry-After (the
   * seconds until the oldest request in the window leaves it, at least 1). Default 10,000 per
   * 600,000 ms (`DEFAULT_MAILBOX_REQUEST_LIMIT`); `null` switches the limit off.
   */
  mailboxRequestLimit?: MailboxRequestLimit | null;
}

/** What the simulator needs to know about a request to decide its faults. */
export interface FaultTarget {
  method: string;
  /** Path below /v1.0 with its query string. */
  path: string;
  /** Addresses and id of the mailbox the request reads, if it reads one. */
  mailbox: ReadonlySet<string> | null;
  inBatch: boolean;
}

export interface FaultDecision {
  delayMs: number;
  outcome:
    | { kind: 'none' }
    | { kind: 'throttle'; retryAfterSeconds: number }
    | { kind: 'unavailable'; retryAfterSeconds: number | null }
    | { kind: 'drop' };
}

/** Admission times of one mailbox's requests in the current window, oldest first (from `head`). */
interface RequestWindow {
  times: number[];
  head: number;
}

interface ActiveRule {
  readonly rule: FaultRule;
  matched: number;
  readonly mailboxes: ReadonlySet<string> | null;
}

export class FaultController {
  private rules: ActiveRule[] = [];
  private denied = new Set<string>();
  private random = new Random('faults:1');
  private limit: number | null = DEFAULT_MAILBOX_CONCURRENCY_LIMIT;
  private requestLimit: MailboxRequestLimit | null = DEFAULT_MAILBOX_REQUEST_LIMIT;
  private readonly windows = new Map<string, RequestWindow>();
  private recorded = 0;

  /** Replaces all fault settings (limits left out take their defaults; request windows restart). */
  set(settings: FaultSettings): void {
    this.random = new Random(`faults:${settings.seed ?? 1}`);
    this.rules = (settings.rules ?? []).map((rule) => this.activate(rule));
    this.denied = new Set((settings.deniedMailboxes ?? []).map((m) => m.toLowerCase()));
    const limit = settings.mailboxConcurrencyLimit;
    if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && limit > 0)) {
      throw new Error(`mailboxConcurrencyLimit must be a positive integer or null, not ${limit}`);
    }
    this.limit = limit === undefined ? DEFAULT_MAILBOX_CONCURRENCY_LIMIT : limit;
    const requestLimit = settings.mailboxRequestLimit;
    if (
      requestLimit !== undefined &&
      requestLimit !== null &&
      !(
        Number.isInteger(requestLimit.requests) &&
        requestLimit.requests > 0 &&
        Number.isFinite(requestLimit.windowMs) &&
        requestLimit.windowMs > 0
      )
    ) {
      throw new Error('mailboxRequestLimit needs a positive integer `requests` and a positive `windowMs`');
    }
    this.requestLimit =
      requestLimit === undefined
        ? DEFAULT_MAILBOX_REQUEST_LIMIT
        : requestLimit === null
          ? null
          : { requests: requestLimit.requests, windowMs: requestLimit.windowMs };
    this.windows.clear();
  }

  /** Adds one rule to the current settings. */
  add(rule: FaultRule): void {
    this.rules.push(this.activate(rule));
  }

  /** Denies (403) the app access to one more mailbox. */
  deny(mailbox: string): void {
    this.denied.add(mailbox.toLowerCase());
  }

  /** No injected faults; the mailbox limits back at their defaults. */
  reset(): void {
    this.set({});
  }

  /** Concurrent requests allowed per mailbox, null when off. */
  get mailboxConcurrencyLimit(): number | null {
    return this.limit;
  }

  /** Requests allowed per mailbox and window, null when off. */
  get mailboxRequestLimit(): MailboxRequestLimit | null {
    return this.requestLimit;
  }

  /**
   * Whether one more request to the mailbox would exceed the request limit: null when it may go,
   * else the Retry-After seconds (until the oldest request in the window leaves it, at least 1).
   */
  requestLimitRetryAfter(mailbox: string, now = Date.now()): number | null {
    const limit = this.requestLimit;
    if (limit === null) return null;
    const window = this.prune(mailbox, now - limit.windowMs);
    if (window === undefined || window.times.length - window.head < limit.requests) return null;
    const oldest = window.times[window.head] ?? now;
    return Math.max(1, Math.ceil((oldest + limit.windowMs - now) / 1000));
  }

  /** Counts an admitted request against the mailbox's request limit. */
  recordRequest(mailbox: string, now = Date.now()): void {
    const limit = this.requestLimit;
    if (limit === null) return;
    let window = this.windows.get(mailbox);
    if (window === undefined) {
      window = { times: [], head: 0 };
      this.windows.set(mailbox, window);
    }
    window.times.push(now);
    // Now and then, forget the windows of mailboxes no longer asked for.
    if (++this.recorded % 10_000 === 0) {
      for (const key of [...this.windows.keys()]) this.prune(key, now - limit.windowMs);
    }
  }

  /** Drops a mailbox's admissions at or before `start`; forgets the mailbox when none is left. */
  private prune(mailbox: string, start: number): RequestWindow | undefined {
    const window = this.windows.get(mailbox);
    if (window === undefined) return undefined;
    while (window.head < window.times.length && (window.times[window.head] ?? 0) <= start) window.head++;
    if (window.head === window.times.length) {
      this.windows.delete(mailbox);
      return undefined;
    }
    if (window.head > 1024 && window.head * 2 > window.times.length) {
      window.times = window.times.slice(window.head);
      window.head = 0;
    }
    return window;
  }

  isDenied(mailbox: ReadonlySet<string>): boolean {
    for (const key of mailbox) if (this.denied.has(key)) return true;
    return false;
  }

  private activate(rule: FaultRule): ActiveRule {
    const list =
      rule.mailbox === undefined ? null : typeof rule.mailbox === 'string' ? [rule.mailbox] : rule.mailbox;
    return { rule, matched: 0, mailboxes: list ? new Set(list.map((m) => m.toLowerCase())) : null };
  }

  private matches(active: ActiveRule, target: FaultTarget): boolean {
    const { rule } = active;
    if (rule.kind === 'drop' && target.inBatch) return false;
    if (rule.method !== undefined && rule.method.toUpperCase() !== target.method) return false;
    if (rule.path !== undefined) {
      const ok =
        typeof rule.path === 'string'
          ? target.path.toLowerCase().includes(rule.path.toLowerCase())
          : rule.path.test(target.path);
      if (!ok) return false;
    }
    if (active.mailboxes !== null) {
      if (target.mailbox === null) return false;
      let hit = false;
      for (const key of target.mailbox) if (active.mailboxes.has(key)) hit = true;
      if (!hit) return false;
    }
    return true;
  }

  private fires(active: ActiveRule): boolean {
    const index = active.matched++;
    const { rule } = active;
    if (rule.sequence === undefined && rule.first === undefined && rule.probability === undefined)
      return true;
    const scripted = rule.sequence?.[index];
    if (scripted !== undefined) return scripted;
    if (rule.first !== undefined && index < rule.first) return true;
    return rule.probability !== undefined && this.random.next() < rule.probability;
  }

  decide(target: FaultTarget): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, outcome: { kind: 'none' } };
    for (const active of this.rules) {
      if (!this.matches(active, target) || !this.fires(active)) continue;
      const { rule } = active;
      if (rule.kind === 'slow') {
        decision.delayMs += rule.delayMs ?? 500;
      } else if (decision.outcome.kind === 'none') {
        decision.outcome =
          rule.kind === 'throttle'
            ? { kind: 'throttle', retryAfterSeconds: rule.retryAfterSeconds ?? 1 }
            : rule.kind === 'unavailable'
              ? { kind: 'unavailable', retryAfterSeconds: rule.retryAfterSeconds ?? null }
              : { kind: 'drop' };
      }
    }
    return decision;
  }
}
