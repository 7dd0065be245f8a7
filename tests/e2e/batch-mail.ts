/**
 * Made-up mail for the batch e2e and `bench:batch --chromium`: newsletters from a few senders, each naming startups
 * in sentences the link rules rank as startups, mixed with personal mail. Every name and address is invented.
 */
import { email, mbox, newsletter } from '../../src/core/batch/test-messages.ts';

export const STARTUPS = ['Quillmate', 'Ferrowave', 'Lumenpath', 'Tidalnote', 'Brightkiln', 'Orchardly'] as const;

const SENDERS = [
  { name: 'Example Weekly', address: 'hello@example-news.com', list: 'weekly.example-news.com' },
  { name: 'Seed Digest', address: 'digest@seed-digest.net', list: 'digest.seed-digest.net' },
  { name: 'Founders Letter', address: 'letter@founders-letter.org', list: 'letter.founders-letter.org' },
] as const;

/** The startups newsletter `index` names: the first every time, others in turn, so mention counts differ. */
export function startupsOf(index: number): string[] {
  return [STARTUPS[0], STARTUPS[1 + (index % (STARTUPS.length - 1))]!];
}

const domainOf = (name: string) => `${name.toLowerCase()}.io`;

export function newsletterMessage(index: number): string {
  const sender = SENDERS[index % SENDERS.length]!;
  const day = String(1 + (index % 28)).padStart(2, '0');
  const names = startupsOf(index);
  const html = names
    .map(
      (name, n) =>
        `<p><a href="https://${domainOf(name)}">${name}</a>, a startup from Lisbon, raised $${n + 2}M in a seed round to build tools for teams.</p>`,
    )
    .join('\n');
  return newsletter({
    from: `${sender.name} <${sender.address}>`,
    listId: sender.list,
    subject: `${sender.name} #${index + 1}`,
    date: `Mon, ${day} Jan 2025 09:00:00 +0000`,
    messageId: `issue-${index}@${sender.address.split('@')[1]}`,
    body: names.map((name) => `${name} raised money: https://${domainOf(name)}`).join('\n'),
    html,
  });
}

export function personalMessage(index: number): string {
  return email({
    from: `Friend ${index} <friend${index}@example.org>`,
    subject: `Lunch ${index}?`,
    messageId: `personal-${index}@example.org`,
    body: `Hi,\nlunch on Friday? See https://example.org/menu\n`,
  });
}

/** `messages` messages, one in `personalEvery` personal mail, as an mbox. */
export function mixedMbox(
  messages: number,
  personalEvery = 4,
): { text: string; newsletters: number; personal: number } {
  const out: string[] = [];
  let newsletters = 0;
  let personal = 0;
  for (let i = 0; i < messages; i++) {
    if (i % personalEvery === personalEvery - 1) out.push(personalMessage(personal++));
    else out.push(newsletterMessage(newsletters++));
  }
  return { text: mbox(out), newsletters, personal };
}

/**
 * A newsletter with one sure startup and two links the rules are unsure of: Nimbusfold, a bare name on its home page
 * (they lean towards a startup), and a Kelpstack guide on its docs host (they lean against): the model's to judge.
 */
export function unsureMessage(index: number): string {
  return newsletter({
    from: 'Example Weekly <hello@example-news.com>',
    listId: 'weekly.example-news.com',
    subject: `Example Weekly #${index + 1}`,
    date: `Mon, ${String(1 + index).padStart(2, '0')} Feb 2025 09:00:00 +0000`,
    messageId: `unsure-${index}@example-news.com`,
    html: `<h3>Deals</h3><p><a href="https://quillmate.io">Quillmate</a>, a startup, raised $4M.</p><h3>Tools</h3><p><a href="https://nimbusfold.com/">Nimbusfold</a></p><p>See the <a href="https://docs.kelpstack.dev/">Kelpstack guide</a>.</p>`,
  });
}
