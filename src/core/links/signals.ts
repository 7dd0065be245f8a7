/**
 * Words and shapes that describe newsletters in general: a newsletter's own pages, sponsor blocks, funding and
 * launch words, page kinds by path. Every pattern is bounded and runs on texts cut to `maxTextLength`.
 */
import { rememberedLast } from './recent.ts';

/** Texts are cut to this length before any pattern runs, so a 100 kB anchor costs no more than a short one. */
export const maxTextLength = 600;

export const ownPageText =
  /\b(unsubscribe|view original|read on the web|view on the web|powered by (ghost|beehiiv|substack|buttondown|kit|convertkit|mailchimp)|view (in|on) (substack|the app)|opt[ -]out|view (this )?(email |issue |post )?(in|on) (your |a |the )?(browser|web)|view online|read online|web version|manage (your )?(subscription|preferences|email)|update (your )?(preferences|profile)|email preferences|forward (this|to a friend)|refer (a )?friends?|referral|share (this )?(newsletter|issue|post|email)|subscribe|advertise (with|in) us|sponsor (us|this newsletter)|become a sponsor|work with us|archive|past issues|read in app|open in app|give a gift|upgrade to paid|leave a comment|like this post|restack)\b/i;
export const ownPagePath =
  /^\/(unsubscribe|subscribe|preferences|profile|manage|referral|refer|sponsor|sponsors|advertise|archive|archives|action\/disable_email|app-link|leaderboard|p\/[^/]+\/comments|forward|rewards)(\/|$)|^\/(sponsor|advertis|partner-with)[\w-]*\/?$/i;
export const imagePath = /\.(png|jpe?g|gif|webp|svg|avif|bmp|ico|tiff?)$/i;
export const pixelPath = /^\/(e\/o|o|open|track\/open|wf\/open|pixel|trk\/open)(\/|\.|$)/i;

export const sponsorWords =
  /\b(sponsor(ed|s)?( by| content| post)?|presented by|together with|brought to you by|in partnership with|paid (partnership|promotion|placement)|advertis(ement|ing|er)|partner content|today'?s partner)\b/i;

/**
 * An event to attend, named in the anchor or its sentence: a conference, summit or meetup (`JSConf`, `zkSummit`), its
 * tickets or call for talks, where and when it takes place. English and French. The event nouns may end a longer word
 * and need no boundary before them: from any position, `\b\w*` reaches back to one, so the prefix only made every
 * word start a backtracking scan (this runs on every link's anchor and sentence).
 */
export const eventWords =
  /(?:conference|conférence|summit|conf|meetup|hackathon|symposium)s?\b|\b(?:expo|festival|keynotes?|takes? place|will be held|aura lieu|call for (?:papers|speakers|proposals)|cfp|(?:buy|get|grab) (?:your )?tickets|tickets (?:are )?(?:on sale|available)|register (?:now|today|here)|inscrivez-vous)\b/i;

export const startupWords =
  /\b(rais(e|es|ed|ing)|seed|pre-seed|series [a-f]|funding|funded|round|led by|backed|valuation|valued at|unicorn|acquir(e|es|ed|ing)|acquisition|y ?combinator|yc [swfx]?\d\d|startups?|start-ups?|founded|co-?founders?|launch(es|ed|ing)?|stealth|emerg(es|ed) from|introduc(es|ed|ing)|announc(es|ed|ing)|now available|is now|open[- ]sourc(es|ed)|beta|waitlist|show hn|launch hn|product hunt|l[eè]ve|lev[ée]e|jeune pousse)\b/i;
/** The narrower set for wrapped links, where release notes ("Node 11.7 launched") must not count. */
export const companyWords =
  /\b(rais(e|es|ed|ing)|seed|pre-seed|series [a-f]|funding|funded|backed by|(vc|yc|venture|investor)-backed|valuation|valued at|unicorn|acquir(e|es|ed|ing)|y ?combinator|yc [swfx]?\d\d|startups?|start-ups?|founded|co-?founders?|stealth|l[eè]ve|lev[ée]e|jeune pousse)\b/i;
export const moneyAmount = /[$€£]\s?\d+(\.\d+)?\s?(k|m|mn|million|b|bn|billion)\b/i;

/** What a sentence says by its words alone; every link in the sentence asks, some twice. */
export interface SentenceWords {
  /** `companyWords` */
  funding: boolean;
  /** `moneyAmount` */
  money: boolean;
  /** `startupWords` */
  launch: boolean;
  /** A "(Sponsor)" mark, or a sentence that opens with a sponsor label (`sponsorLabel`). */
  sponsorMark: boolean;
}

/**
 * A sentence that opens as a sponsor's block does: "Our sponsor: …", "Sponsored — …", "Sponsored by Acme — …",
 * "Brought to you by Acme". Bounded: one optional word before the label.
 */
const sponsorLabel =
  /^\s*(?:(?:(?:our|today['’]s|this week['’]s|a word from our)\s+)?sponsor(?:ed|s)?\s*[:—–-]|sponsored by\b|brought to you by\b|presented by\b)/i;

export const sentenceWords: (context: string) => SentenceWords = rememberedLast((context) => {
  // Every `companyWords` match is a `startupWords` match too (the same words, `backed` for `backed by`), and nine
  // sentences in ten have neither: the narrower set is read only where the wider one matched.
  const launch = startupWords.test(context);
  return {
    funding: launch && companyWords.test(context),
    money: moneyAmount.test(context),
    launch,
    sponsorMark: /\(sponsor(?:ed)?\)/i.test(context) || sponsorLabel.test(context),
  };
});

/**
 * The ends of a text from which a `companyWords` or `moneyAmount` match can run on across a space into the next
 * text: the words before those patterns' inner spaces (`Series` + `A`, `backed` + `by`, `Y` + `Combinator`), and an
 * amount not yet finished (`$` + `5M`, `$5` + `million`).
 */
const runsOnAcrossSpace = /\b(?:series|backed|valued|y|yc|jeune)$|[$€£]\s?[\d.]*$/i;

/**
 * Whether `companyWords` or `moneyAmount` matches `${text} ${context}`, told from what is already known of each:
 * `textFunding` is either pattern on `text`, `sentence` is `sentenceWords(context)`. A match of the joined text lies
 * in one of the two unless it runs on across the joining space, which only the ends `runsOnAcrossSpace` reads allow;
 * only then is the joined text built and read (the sentence is the long part, and it was already read).
 */
export function fundingAcross(text: string, textFunding: boolean, context: string, sentence: SentenceWords): boolean {
  if (textFunding || sentence.funding || sentence.money) return true;
  if (!runsOnAcrossSpace.test(text)) return false;
  const both = `${text} ${context}`;
  return companyWords.test(both) || moneyAmount.test(both);
}

export const companyPath =
  /^\/(|about(-us)?|company|team|careers|jobs|pricing|product|products|features|download|waitlist|signup|sign-up|demo|contact|home|en|en-us|platform|solutions|customers)\/?$/i;
export const datedPath = /\/(19|20)\d\d\/\d{1,2}\//;
/** Pages every site has that say nothing about the company: legal, status and ad-network pages. */
export const boilerplatePath =
  /^\/([a-z]{2}(-[a-z]{2})?\/)?(cookie|cookies|cookie-notice|privacy|privacy-policy|terms|tos|legal|imprint|impressum|powered-by|incidents|status|help|support|faq|login|signin|sign-in)(\/|$|-)/i;
/** Footer links every sender has: they say nothing about any company. */
export const boilerplateText =
  /^\s*(terms( of (service|use))?|privacy( (policy|notice|statement))?|cookie (policy|notice|settings)|contact( us)?|ad ?choices|ads powered by [\w ]+|do not sell( or share)? my (personal )?information|accessibility|careers|help|faq)\s*$/i;
/** Registrable labels that name an outlet, not a company (`agfundernews`, `businesschief`, `alleywatch`). */
export const outletLabel =
  /(startups?|news|times|post|daily|journal|magazine|mag|wire|weekly|digest|report|review|insider|tribune|herald|gazette|chronicle|press|media|today|watch|republic|chief|observer|monitor|radio|podcast|newsletter|blog)$/;
/** Open-source libraries' own sites (`velocityjs.org`, `redom.js.org`). */
export const libraryHost = /(js|\.js)\.org$|^(.*\.)?[a-z0-9-]+js\.(org|dev|io|com)$/;
export const podcastTld = /\.fm$/;
/**
 * Alt text of a picture that is itself the point (a photo, a banner), not a company's mark. A logo is left to the
 * scorer: a digest links a startup's logo to the startup's site as often as an ad footer links an ad network's.
 */
export const pictureAlt = /\b(photo|picture|image|avatar|headshot|portrait|banner)\b/i;
export const pressHost = /^(news|press|newsroom|investors?|ir|media)\./;
export const investorLabel = /(capital|ventures?|partners|invest|fund)\.|\.(vc|capital|ventures|fund)$/;
export const startupTld =
  /\.(ai|io|co|so|dev|app|sh|xyz|tech|inc|new|run|build|tools|studio|coach|gg|ly|me|to|cc|is|im)$/;

export const genericAnchor =
  /^(click here|here|this|link|read more|learn more|more|more here|see more|continue reading|read|full story|source|website|site|homepage|view|details|check it out|find out more|find out|discover|try it|try it out|go|open|get started|sign up|join|apply|watch|listen|download|register|follow (us )?on \w+|this post|this article|this thread|the announcement|announcement|blog post|post|article|paper|report|thread|video|podcast|→|»|›)\W*$/i;

export function cut(text: string): string {
  return text.length > maxTextLength ? text.slice(0, maxTextLength) : text;
}

/** A URL slug reporting news about a named company: `nervonik raises 52 5m…`. */
export const slugNews =
  /(?:^| )([a-z0-9]+(?: [a-z0-9]+)?) (?:raises|raised|secures|secured|lands|landed|closes|closed|bags|nabs|snags|acquires|acquired|launches|launched|unveils|gets|announces)\b/;
/** A slug announcing the site's own round or launch: `/post/series-a`, `/blog/raising-4-3m`, `/blog/introducing-x`. */
export const ownNews =
  /\b(series [a-f]|seed|pre seed|funding|fundraise|raising|we raised|announcing|introducing|launch(ing)?|is now|now available)\b/;

/**
 * A link's path. Every link's url is a serialized http(s) URL (canonical.ts), whose path runs from the first `/` after
 * the host to the query or the fragment: read so, rather than parsed again for every link. Anything else (a `?`, `#`
 * or `\\` before the first slash, another scheme) is parsed.
 */
export function parsePath(url: string): string {
  const hostStart = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  if (hostStart > 0) {
    const pathStart = url.indexOf('/', hostStart);
    const query = url.indexOf('?', hostStart);
    const fragment = url.indexOf('#', hostStart);
    if (
      pathStart >= 0 &&
      (query < 0 || query > pathStart) &&
      (fragment < 0 || fragment > pathStart) &&
      url.lastIndexOf('\\', pathStart) < hostStart
    ) {
      // The first `?` is the query's (a path has none), unless a fragment came first and holds it.
      const end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
      return end < 0 ? url.slice(pathStart) : url.slice(pathStart, end);
    }
  }
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

/** A domain written out in the text: `//quillmark` (a site written after its title), `acme.dev`, `[acme.ai]`. */
export const statedDomain =
  /(?:\/\/([a-z0-9][a-z0-9-]{1,40})\b|\b([a-z0-9][a-z0-9-]{0,40}\.(?:com|io|ai|co|dev|app|so|sh|xyz|tech|new|run|build|tools|studio|gg|ly|me|to|cc|is|im|net|org)))(?=$|[\s),.;:\]])/gi;
/** The ending every `statedDomain` match without a `//` has: a quick test that the pattern can match at all. */
export const statedEnding =
  /\.(?:com|io|ai|co|dev|app|so|sh|xyz|tech|new|run|build|tools|studio|gg|ly|me|to|cc|is|im|net|org)(?=$|[\s),.;:\]])/i;
/**
 * `Acme Travel (USA)`, `Gizmo (Berlin, $4M)`: what a parenthesis right after a name opens with. It says where the
 * company is based when that is a country code or a known place; `Wenhao Wang (Yale)` names an employer instead.
 */
export const parenthesisOpening = /^\s*\(([^(),]{2,30})[,)]/;
/** Headings of sections that list companies or products. */
export const startupHeading =
  /\b(startups?|fundings?|funding rounds?|deals?|launch(es)?|raised|raises|acquisitions?|m&a|companies|portfolio|investments?)\b/i;

/** Section headings that list launches: every item is a product (`#Show HN`, `Launch HN`). */
export const productHeading = /\b(show|launch) hn\b|\bproduct hunt\b/i;
