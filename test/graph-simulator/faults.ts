/**
 * Fault injection, changeable at runtime: throttling (429 with Retry-After), 503, slow responses,
 * connections dropped mid-response, mailboxes the app may not read (403), and Exchange's
 * per-mailbox concurrency limit. Random faults come from a seeded generator, so a run is repeatable
 * for a given order of requests.
 */
import { Random } from './random';

export type FaultKind = 'throttle' | 'unavailable' | 'slow' | 'drop';

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
  /** More concurrent requests than this to one mailbox get 429 ApplicationThrottled. */
  mailboxConcurrencyLimit?: number;
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

interface ActiveRule {
  readonly rule: FaultRule;
  matched: number;
  readonly mailboxes: ReadonlySet<string> | null;
}

export class FaultController {
  private rules: ActiveRule[] = [];
  private denied = new Set<string>();
  private random = new Random('faults:1');
  private limit: number | null = null;

  /** Replaces all fault settings. */
  set(settings: FaultSettings): void {
    this.random = new Random(`faults:${settings.seed ?? 1}`);
    this.rules = (settings.rules ?? []).map((rule) => this.activate(rule));
    this.denied = new Set((settings.deniedMailboxes ?? []).map((m) => m.toLowerCase()));
    this.limit = settings.mailboxConcurrencyLimit ?? null;
  }

  /** Adds one rule to the current settings. */
  add(rule: FaultRule): void {
    this.rules.push(this.activate(rule));
  }

  /** Denies (403) the app access to one more mailbox. */
  deny(mailbox: string): void {
    this.denied.add(mailbox.toLowerCase());
  }

  /** No faults at all. */
  reset(): void {
    this.set({});
  }

  get mailboxConcurrencyLimit(): number | null {
    return this.limit;
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
