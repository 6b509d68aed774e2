import { SHARED_SUFFIXES } from './public-domains.ts';

/** Trimmed, lower-cased email address (the form every comparison uses). */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** The part after the last `@`, or null when there is none. */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return null;
  return address.slice(at + 1);
}

const LABEL = /^[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]*[a-z0-9\u00a1-\uffff])?$/;

/**
 * One web domain as an admin may have typed it (`https://www.Contoso.com/about`, `@contoso.com`,
 * `contoso.com.`) → `contoso.com`; null when it is not a usable domain (a single label such as `com`,
 * a shared registry suffix such as `co.uk`, or malformed text).
 */
export function normaliseDomain(raw: string): string | null {
  let d = raw.trim().toLowerCase();
  const scheme = d.indexOf('://');
  if (scheme >= 0) d = d.slice(scheme + 3);
  const at = d.lastIndexOf('@');
  if (at >= 0) d = d.slice(at + 1);
  const end = d.search(/[/?#:]/);
  if (end >= 0) d = d.slice(0, end);
  while (d.endsWith('.')) d = d.slice(0, -1);
  if (d.startsWith('www.')) d = d.slice(4);
  const labels = d.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  if (SHARED_SUFFIXES.has(d)) return null;
  return d;
}

/** A domain field may hold several domains separated by commas, semicolons, bars or spaces. */
export function parseDomainField(raw: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(/[\s,;|]+/)) {
    if (part === '') continue;
    const d = normaliseDomain(part);
    if (d !== null && !out.includes(d)) out.push(d);
  }
  return out;
}
