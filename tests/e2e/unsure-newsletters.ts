/**
 * Made-up newsletters whose point is the links the rules are unsure of: the Maybe group and the corrections e2e
 * tests paste them, and `src/core/links/fixture-bands.test.ts` checks, in seconds, that the committed weights still
 * score each such link inside the band its test needs. Every name and domain is invented.
 */

/**
 * Three sure startups, two links the ranking is unsure of and turns down in tools-only mode (a docs page, and a home
 * page on a look-alike of quillmark.dev spelled with a Cyrillic "і"), and a news article.
 */
export const MAYBE_NEWSLETTER = `<h2>Funding</h2>
<p><a href="https://quillmark.dev/">Quillmark</a>, a Lisbon-based maker of writing tools, raised a $6M seed round.</p>
<p><a href="https://tidewaterrobotics.io/">Tidewater Robotics</a> raised $12M to build harbour drones.</p>
<h2>Worth reading</h2>
<p>Try <a href="https://pebblecart.app/">Pebblecart</a> for your next shop.</p>
<p>The team at <a href="https://xn--qullmark-uhh.dev/">Quillmark Labs</a> shared a new demo.</p>
<p>Queues are explained in <a href="https://docs.harborly.io/">the Harborly docs</a>.</p>
<p>Read the <a href="https://www.nytimes.com/2026/01/01/tech/harbors.html">New York Times piece</a> on harbours.</p>`;

/** Three sure startups, the uncertain docs page of `MAYBE_NEWSLETTER`, and a blog post the rules turn down. */
export const CORRECTIONS_NEWSLETTER = `<h2>Funding</h2>
<p><a href="https://quillmark.dev/">Quillmark</a>, a Lisbon-based maker of writing tools, raised a $6M seed round.</p>
<p><a href="https://tidewaterrobotics.io/">Tidewater Robotics</a> raised $12M to build harbour drones.</p>
<h2>Worth reading</h2>
<p>Try <a href="https://pebblecart.app/">Pebblecart</a> for your next shop.</p>
<p>Queues are explained in <a href="https://docs.harborly.io/">the Harborly docs</a>.</p>
<p>On our reading list: <a href="https://ferngrove.net/blog/2026/12/why-queues">why queues</a>.</p>`;

/** The plain-text side of both pastes, as an email client puts it on the clipboard beside the HTML. */
export const UNSURE_PLAIN = 'Quillmark raised a $6M seed round. Tidewater Robotics raised $12M. Try Pebblecart.';
