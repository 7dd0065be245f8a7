/**
 * The merged table leaves Sift as CSV (spreadsheets, CRM imports), JSON, or a Markdown digest to paste into a
 * team channel ("This week: 12 new startups", grouped by newsletter or by theme). Newsletter text is untrusted:
 * CSV goes through Sift's one spreadsheet-safe writer (`text/spreadsheet-csv.ts`, formulas defused), and Markdown
 * metacharacters and HTML in names and sentences are escaped so a digest renders as written.
 */
import { companyWebsite } from '../links/types.ts';
import { writeCsv } from '../text/spreadsheet-csv.ts';
import themeData from './data/themes.json';
import { sponsoredIn, type MergedStartup } from './merge.ts';

const CSV_COLUMNS = [
  'name',
  'website',
  'link',
  'domain',
  'mentions',
  'newsletters',
  'first_seen',
  'last_seen',
  'new',
  'sponsored',
  'sentence',
  'sources',
] as const;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

function sourcesText(startup: MergedStartup): string {
  return startup.sources
    .map((source) => (source.date ? `${source.newsletterName} (${day(source.date)})` : source.newsletterName))
    .join('; ');
}

/** The most recent sentence that says something. */
export function sentenceOf(startup: MergedStartup): string {
  for (let i = startup.sources.length - 1; i >= 0; i--) {
    const context = startup.sources[i]!.context.trim();
    if (context) return context;
  }
  return '';
}

export function mergedToCsv(table: readonly MergedStartup[]): string {
  const rows = table.map((startup) => [
    startup.name,
    companyWebsite(startup),
    startup.url,
    startup.domain ?? '',
    String(startup.mentions),
    String(startup.newsletters),
    day(startup.firstSeen),
    day(startup.lastSeen),
    startup.isNew ? 'yes' : 'no',
    sponsoredIn(startup) > 0 ? 'yes' : 'no',
    sentenceOf(startup),
    sourcesText(startup),
  ]);
  return writeCsv(CSV_COLUMNS, rows);
}

export function mergedToJson(table: readonly MergedStartup[]): string {
  return JSON.stringify(
    table.map((startup) => ({
      name: startup.name,
      website: companyWebsite(startup) || null,
      link: startup.url,
      domain: startup.domain,
      mentions: startup.mentions,
      newsletters: startup.newsletters,
      firstSeen: startup.firstSeen,
      lastSeen: startup.lastSeen,
      isNew: startup.isNew,
      sponsored: sponsoredIn(startup) > 0,
      sources: startup.sources.map((source) => ({
        newsletter: source.newsletterName,
        date: source.date,
        sentence: source.context,
        url: source.url,
        decidedBy: source.decidedBy ?? 'rules',
        sponsored: source.sponsored === true,
      })),
    })),
    null,
    2,
  );
}

export type Themes = Record<string, readonly string[]>;

export const DEFAULT_THEMES: Themes = themeData.themes;

const compiledThemes = new WeakMap<Themes, Array<[string, RegExp[]]>>();

/** Each theme's words as whole-word patterns, compiled once per theme list. */
function compile(themes: Themes): Array<[string, RegExp[]]> {
  let compiled = compiledThemes.get(themes);
  if (!compiled) {
    compiled = Object.entries(themes).map(([theme, words]) => [
      theme,
      words.map((word) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word.toLowerCase())}(?![\\p{L}\\p{N}])`, 'gu')),
    ]);
    compiledThemes.set(themes, compiled);
  }
  return compiled;
}

/** The theme whose words a startup's sentences use most; 'Other' when none. */
export function themeOf(startup: MergedStartup, themes: Themes = DEFAULT_THEMES): string {
  const text = startup.sources
    .map((source) => source.context)
    .join(' ')
    .toLowerCase();
  let best = 'Other';
  let bestHits = 0;
  for (const [theme, patterns] of compile(themes)) {
    let hits = 0;
    for (const pattern of patterns) hits += text.match(pattern)?.length ?? 0;
    if (hits > bestHits) {
      best = theme;
      bestHits = hits;
    }
  }
  return best;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text as Markdown shows it literally: metacharacters escaped, no HTML, one line. */
export function markdownText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_{}[\]()#+!|~>]/g, '\\$&')
    .replace(/</g, '&lt;');
}

/** A URL safe inside `(...)`: only http(s), with the characters that would end the link encoded. */
function markdownUrl(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  return url.replace(/[()<>\s]/g, (char) => encodeURIComponent(char));
}

export interface DigestOptions {
  /** The heading's first words: `This week` gives "This week: 5 new startups". */
  title?: string;
  groupBy?: 'newsletter' | 'theme';
  /** Only the startups marked new (the default), or all of them. */
  onlyNew?: boolean;
  themes?: Themes;
}

function digestLine(startup: MergedStartup): string {
  // A digest is pasted where others read and click: a tracker's link would share the reader's own id with them.
  const url = markdownUrl(companyWebsite(startup));
  const name = markdownText(startup.name);
  const link = url ? `[${name}](${url})` : name;
  const sentence = sentenceOf(startup);
  const where = [...new Set(startup.sources.map((source) => source.newsletterName))].map(markdownText).join(', ');
  const count = startup.mentions === 1 ? '1 mention' : `${startup.mentions} mentions`;
  // Colleagues reading the digest should know which names were paid for rather than picked by the editor.
  const sponsored = sponsoredIn(startup) > 0 ? '; sponsor' : '';
  return `- **${link}**${sentence ? ` — ${markdownText(sentence)}` : ''} _(${where}; ${count}${sponsored})_`;
}

export function markdownDigest(table: readonly MergedStartup[], options: DigestOptions = {}): string {
  const onlyNew = options.onlyNew ?? true;
  const startups = onlyNew ? table.filter((startup) => startup.isNew) : [...table];
  const title = options.title ?? 'This week';
  const noun = startups.length === 1 ? 'startup' : 'startups';
  const lines = [`# ${markdownText(title)}: ${startups.length} ${onlyNew ? 'new ' : ''}${noun}`, ''];
  if (startups.length === 0) return `${lines[0]}\n`;
  const groups = new Map<string, MergedStartup[]>();
  for (const startup of startups) {
    // By newsletter, a startup sits under the first one that mentioned it; its line names all of them.
    const group =
      options.groupBy === 'theme' ? themeOf(startup, options.themes) : (startup.sources[0]?.newsletterName ?? 'Other');
    groups.set(group, [...(groups.get(group) ?? []), startup]);
  }
  const ordered = [...groups].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  for (const [group, members] of ordered) {
    lines.push(`## ${markdownText(group)} (${members.length})`, '', ...members.map(digestLine), '');
  }
  return lines.join('\n');
}
