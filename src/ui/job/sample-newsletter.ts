/**
 * "Try a sample": a short, made-up newsletter in the HTML an email platform sends, so a first-time
 * visitor sees the whole flow without finding one of their own. Every company in it is fictional.
 * Its links come wrapped the ways real newsletters wrap them (beehiiv, Substack, Kit, Google,
 * Outlook SafeLinks, utm tags), so the sample also shows Sift unwrapping them offline.
 */

function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const beehiiv = (url: string) =>
  `https://flight.beehiiv.net/v2/clicks/${base64Url('{"alg":"HS256","typ":"JWT"}')}.${base64Url(
    JSON.stringify({ url, post_id: 'a7f3c2e1', publication_id: 'pub-4410', iat: 1763700000 }),
  )}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
const substack = (url: string) =>
  `https://frontierletter.substack.com/redirect/2/${base64Url(JSON.stringify({ e: url, p: 151882, s: 99 }))}.c2ln`;
const kit = (url: string) => `https://d2x9.click.kit-mail3.com/qdu7v/z8hk2/${btoa(url)}`;
const google = (url: string) => `https://www.google.com/url?q=${encodeURIComponent(url)}&sa=D&ust=1763700000`;
const safelinks = (url: string) =>
  `https://eur03.safelinks.protection.outlook.com/?url=${encodeURIComponent(url)}&data=05%7C02%7C&reserved=0`;
const utm = (url: string) => `${url}?utm_source=frontier-letter&utm_medium=email&utm_campaign=issue-42`;

/** The fictional startups in the sample, with the sites their links lead to (for tests and the tour). */
export const SAMPLE_STARTUPS = [
  { name: 'Quillmark', site: 'https://quillmark.dev/' },
  { name: 'Tidewater Robotics', site: 'https://tidewaterrobotics.io/' },
  { name: 'Ferrous Labs', site: 'https://www.ferrouslabs.ai/' },
  { name: 'Lumen Ledger', site: 'https://lumenledger.co/' },
  { name: 'Parcelbird', site: 'https://parcelbird.app/' },
  { name: 'Okapi Health', site: 'https://okapihealth.com/' },
] as const;

const [quillmark, tidewater, ferrous, lumen, parcelbird, okapi] = SAMPLE_STARTUPS;

export const SAMPLE_NEWSLETTER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The Frontier Letter — Issue 42</title></head>
<body style="font-family: Georgia, serif; max-width: 600px; margin: auto">
<p><a href="${beehiiv('https://frontierletter.example/web/issue-42')}">Read online</a></p>
<h1>The Frontier Letter — Issue 42</h1>
<p>Good morning! Six companies caught our eye this week, one sponsor paid for your coffee, and we finally fixed the dark-mode logo.</p>

<h2>Funding rounds</h2>
<p><a href="${beehiiv(utm(quillmark.site))}">Quillmark</a> raised a $6M seed led by Northgate Ventures to turn messy contracts into structured data that lawyers can query like a spreadsheet.</p>
<p>Warehouse picking is getting cheaper: <a href="${substack(tidewater.site)}">Tidewater Robotics</a> closed a $14M Series A for its tote-handling arms, which rent by the hour instead of by the year.</p>
<p><a href="${kit(ferrous.site)}">Ferrous Labs</a> (founded by two former battery chemists) is building iron-air storage for small solar farms and opened its pilot waitlist.</p>

<h2>Launches</h2>
<p>Small finance teams should look at <a href="${google(lumen.site)}">Lumen Ledger</a>, which closes the books in a day by matching bank feeds to invoices with a model that runs on your laptop.</p>
<p>Also shipping this week: <a href="${safelinks(utm(parcelbird.site))}">Parcelbird</a>, a returns portal for independent shops, is now free for stores under 100 orders a month.</p>
<p>Clinics in rural areas can now book translators on demand through <a href="${beehiiv(okapi.site)}">Okapi Health</a>, which partners with 40 interpreter co-ops.</p>

<h2>Worth reading</h2>
<p>Our favourite essay this week asks <a href="${beehiiv('https://www.nytimes.com/2026/11/18/technology/robots-warehouses.html')}">whether warehouse robots create jobs</a>; the answer is more careful than the headline.</p>
<p>The code behind our weekly charts is on <a href="https://github.com/frontier-letter/charts">GitHub</a>.</p>

<table role="presentation"><tr><td style="background:#f4f1ea; padding: 12px">
<p><strong>Sponsored by Brightdesk</strong> — the shared inbox for support teams. <a href="${beehiiv('https://brightdesk.example/?ref=frontier')}">Start a free trial</a>.</p>
</td></tr></table>

<p>Follow us on <a href="https://x.com/frontierletter">X</a> and <a href="https://www.linkedin.com/company/frontier-letter">LinkedIn</a>.</p>
<p style="font-size: 12px; color: #666">You are receiving this because you subscribed to The Frontier Letter.
<a href="https://frontierletter.substack.com/action/disable_email?token=abc123">Unsubscribe</a></p>
</body></html>`;

/** What the paste area shows for the sample: the text a reader would see. */
export const SAMPLE_NEWSLETTER_TITLE = 'The Frontier Letter — Issue 42 (sample)';
