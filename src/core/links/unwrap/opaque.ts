import type { UrlParts } from './family.ts';
import data from './opaque-wrappers.json';
import { rememberedLast } from '../recent.ts';

/** A wrapper Sift recognises but cannot see through offline (see opaque-wrappers.json for the rules' fields). */
interface OpaqueRule {
  tracker: string;
  hosts?: string[];
  hostPattern?: string;
  pathPattern?: string;
  query?: string;
}

interface CompiledRule {
  tracker: string;
  hostPattern: RegExp | null;
  pathPattern: RegExp | null;
  query: string | null;
}

const byHost = new Map<string, CompiledRule[]>();
const hostless: CompiledRule[] = [];

for (const rule of data.rules as OpaqueRule[]) {
  const compiled: CompiledRule = {
    tracker: rule.tracker,
    hostPattern: rule.hostPattern ? new RegExp(rule.hostPattern) : null,
    pathPattern: rule.pathPattern ? new RegExp(rule.pathPattern) : null,
    query: rule.query ?? null,
  };
  if (rule.hosts) {
    for (const host of rule.hosts) byHost.set(host, [...(byHost.get(host) ?? []), compiled]);
  } else {
    hostless.push(compiled);
  }
}

/**
 * What any hostless rule needs at the least: its path pattern, or its host pattern when it has no path pattern.
 * Most links are direct links that match neither, and two tests rule all of them out.
 */
const anyPath = new RegExp(
  hostless.flatMap((rule) => (rule.pathPattern ? [`(?:${rule.pathPattern.source})`] : [])).join('|') || '(?!)',
);
const anyHost = new RegExp(
  hostless
    .flatMap((rule) => (!rule.pathPattern && rule.hostPattern ? [`(?:${rule.hostPattern.source})`] : []))
    .join('|') || '(?!)',
);
const everyRuleHasAPattern = hostless.every((rule) => rule.pathPattern || rule.hostPattern);

function matches(rule: CompiledRule, url: UrlParts): boolean {
  if (rule.hostPattern && !rule.hostPattern.test(url.hostname)) return false;
  if (rule.pathPattern && !rule.pathPattern.test(url.pathname)) return false;
  if (rule.query && !url.searchParams.has(rule.query)) return false;
  return true;
}

/**
 * The rules of a host and of each parent domain, the host's own first: a handful of Map lookups, so the cost does not
 * grow with the number of rules. The last host's answer is kept: a newsletter links a few hosts many times over,
 * often several links in a row, and each lookup hashes a new piece of the host.
 */
const hostRules = rememberedLast(readHostRules);

function readHostRules(hostname: string): CompiledRule[] {
  const found: CompiledRule[] = [];
  let suffix = hostname.startsWith('www.') ? hostname.slice(4) : hostname;
  for (;;) {
    const rules = byHost.get(suffix);
    if (rules) found.push(...rules);
    const dot = suffix.indexOf('.');
    if (dot < 0) return found;
    suffix = suffix.slice(dot + 1);
  }
}

/** The opaque tracker wrapping this URL, or null. */
export function opaqueTracker(url: UrlParts): string | null {
  const hostname = url.hostname;
  const pathname = url.pathname;
  for (const rule of hostRules(hostname)) if (matches(rule, url)) return rule.tracker;
  if (everyRuleHasAPattern && !anyPath.test(pathname) && !anyHost.test(hostname)) return null;
  for (const rule of hostless) if (matches(rule, url)) return rule.tracker;
  return null;
}
