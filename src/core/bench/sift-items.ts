/**
 * Sift's own job as benchmark items, on invented newsletters (no real sender, subscriber or
 * company): the judge step (is each uncertain link a startup, and what is it called?) and Ask
 * (plan the tool calls for an instruction). Each has its known answer, checked like BFCL's:
 * exact values, strings compared without case or punctuation, calls in any order.
 */
import type { Company } from '../crm/types.ts';
import type { LinkCandidate, LinkReport } from '../links/types.ts';
import { linkCandidate, linkReport } from './sandbox.ts';
import { tools } from '../agent/tools.ts';
import { standardizeString, type AnswerCall, type FunctionDoc, type ParamDoc } from './ast-checker.ts';

export interface JudgeTruth {
  startup: boolean;
  /** For a startup, the names that count as right (the first is the one the newsletter uses). */
  names: string[];
}

export interface JudgeItem {
  id: string;
  quick: boolean;
  links: LinkCandidate[];
  truth: Record<string, JudgeTruth>;
}

/** One step of a plan: any of its alternatives is right ("by link id or by name"). */
export type PlanStep = AnswerCall[];

export interface AskItem {
  id: string;
  quick: boolean;
  instruction: string;
  report: LinkReport;
  crm: Array<Pick<Company, 'id' | 'name' | 'domain'> & Partial<Company>>;
  /** Every one must run, in any order that works. */
  plan: PlanStep[];
  /** Reads that may run as well without making the plan wrong. */
  mayAlsoRun: PlanStep[];
  /** What an always-right model says when done. */
  answer: string;
}

// ---------------------------------------------------------------- the invented newsletters

type LinkSpec = Omit<Partial<LinkCandidate>, 'id'> & { domain: string };

function links(specs: Record<string, LinkSpec>): LinkCandidate[] {
  return Object.entries(specs).map(([id, spec]) =>
    linkCandidate({ id, kind: 'other', score: 0.5, name: spec.domain.split('.')[0] ?? spec.domain, ...spec }),
  );
}

const startup = (...names: string[]): JudgeTruth => ({ startup: true, names });
const notStartup: JudgeTruth = { startup: false, names: [] };

const judgeItems: JudgeItem[] = [
  {
    id: 'judge-funding-roundup',
    quick: true,
    links: links({
      L3: {
        domain: 'quillmark.dev',
        text: 'Quillmark',
        context: 'Quillmark, a two-person team building search for contract lawyers, raised a $2.1M pre-seed.',
        heading: 'Funding',
      },
      L4: {
        domain: 'harborviewgazette.com',
        text: 'a long profile',
        context: 'The Harborview Gazette ran a long profile of the founders last week.',
        heading: 'Funding',
      },
      L6: {
        domain: 'tidewater.io',
        text: 'Tidewater',
        context: 'Tidewater closed a $9M Series A to schedule port cranes with software.',
        heading: 'Funding',
      },
      L8: {
        domain: 'northfield.edu',
        text: 'robotics lab',
        context: 'The robotics lab at Northfield University open-sourced its gripper designs.',
        heading: 'Research',
      },
    }),
    truth: { L3: startup('Quillmark'), L4: notStartup, L6: startup('Tidewater'), L8: notStartup },
  },
  {
    id: 'judge-launches',
    quick: true,
    links: links({
      L2: {
        domain: 'getlumenly.com',
        text: 'Lumenly',
        context: 'Lumenly launched today: an app that tells small bakeries how much dough to prep.',
        heading: 'Launches',
      },
      L5: {
        domain: 'youtube.com',
        text: 'demo video',
        context: 'Watch the demo video before you sign up.',
        heading: 'Launches',
      },
      L7: {
        domain: 'fernhollow.ai',
        text: 'Fern Hollow',
        context: 'Fern Hollow (YC W25) ships an agent that reconciles invoices for clinics.',
        heading: 'Launches',
      },
    }),
    truth: { L2: startup('Lumenly'), L5: notStartup, L7: startup('Fern Hollow', 'FernHollow') },
  },
  {
    id: 'judge-sponsors-and-docs',
    quick: true,
    links: links({
      L1: {
        domain: 'brightpath.so',
        text: 'Brightpath',
        context:
          'This issue is sponsored by Brightpath, the onboarding tool two ex-nurses built for home-care agencies.',
        heading: 'Sponsor',
      },
      L9: {
        domain: 'docs.pipewright.dev',
        text: 'migration guide',
        context: 'The migration guide explains the breaking changes in version 4.',
        heading: 'Tools',
      },
      L10: {
        domain: 'cobaltcell.com',
        text: 'Cobalt Cell',
        context: 'Battery startup Cobalt Cell signed its first grid customer in Ohio.',
        heading: 'Climate',
      },
      L12: {
        domain: 'statebudgetoffice.gov',
        text: 'the report',
        context: 'The state budget office published the report on grid subsidies.',
        heading: 'Climate',
      },
    }),
    truth: { L1: startup('Brightpath'), L9: notStartup, L10: startup('Cobalt Cell'), L12: notStartup },
  },
  {
    id: 'judge-acquisitions',
    quick: false,
    links: links({
      L4: {
        domain: 'paperkite.app',
        text: 'Paperkite',
        context: 'Paperkite, the seed-stage note-taking app for field engineers, was acquired this week.',
        heading: 'Deals',
      },
      L5: {
        domain: 'linkedin.com',
        text: 'her post',
        context: 'The founder announced the news in her post.',
        heading: 'Deals',
      },
      L6: {
        domain: 'vantablue.com',
        text: 'Vantablue',
        context: 'Vantablue, a 40-year-old listed chemicals group, reported flat quarterly revenue.',
        heading: 'Markets',
      },
    }),
    truth: { L4: startup('Paperkite'), L5: notStartup, L6: notStartup },
  },
  {
    id: 'judge-podcast-and-tools',
    quick: false,
    links: links({
      L2: {
        domain: 'thebuildershour.fm',
        text: 'episode 212',
        context: 'In episode 212 of The Builders Hour we talk pricing with three founders.',
        heading: 'Listen',
      },
      L3: {
        domain: 'ledgerline.io',
        text: 'Ledgerline',
        context: 'Ledgerline raised $4M to give freelancers a tax account that fills itself.',
        heading: 'Funding',
      },
      L8: {
        domain: 'github.com',
        text: 'the repo',
        context: 'The code is in the repo if you want to run it yourself.',
        heading: 'Tools',
      },
      L9: {
        domain: 'orchard-ops.com',
        text: 'Orchard Ops',
        context: 'Orchard Ops, founded last year, sells soil sensors to apple growers.',
        heading: 'Agriculture',
      },
    }),
    truth: { L2: notStartup, L3: startup('Ledgerline'), L8: notStartup, L9: startup('Orchard Ops') },
  },
  {
    id: 'judge-events',
    quick: false,
    links: links({
      L1: {
        domain: 'eventbrite.com',
        text: 'tickets',
        context: 'Tickets for the founders breakfast are on sale now.',
        heading: 'Events',
      },
      L2: {
        domain: 'saltmarsh.bio',
        text: 'Saltmarsh Bio',
        context: 'Saltmarsh Bio, which grows enzymes in seawater, is hiring its first ten engineers.',
        heading: 'Hiring',
      },
      L3: {
        domain: 'cityofmarlow.gov',
        text: 'the grant',
        context: 'The city of Marlow opened the grant to local hardware teams.',
        heading: 'Grants',
      },
    }),
    truth: { L1: notStartup, L2: startup('Saltmarsh Bio', 'Saltmarsh'), L3: notStartup },
  },
];

/** One invented issue for the Ask items: startups (some in the CRM), media, social and a sponsor. */
const issue = links({
  L1: {
    domain: 'quillmark.dev',
    kind: 'startup',
    score: 0.86,
    name: 'Quillmark',
    text: 'Quillmark',
    context: 'Quillmark raised a $2.1M pre-seed for contract search.',
  },
  L2: { domain: 'twitter.com', kind: 'social', score: 0.05, name: 'Twitter', text: '@quillmark' },
  L3: {
    domain: 'tidewater.io',
    kind: 'startup',
    score: 0.88,
    name: 'Tidewater',
    text: 'Tidewater',
    context: 'Tidewater closed a $9M Series A for port logistics.',
  },
  L4: { domain: 'harborviewgazette.com', kind: 'media', score: 0.1, name: 'Harborview Gazette', text: 'profile' },
  L5: {
    domain: 'fernhollow.ai',
    kind: 'startup',
    score: 0.84,
    name: 'Fern Hollow',
    text: 'Fern Hollow',
    context: 'Fern Hollow ships an agent that reconciles invoices for clinics.',
  },
  L6: {
    domain: 'embergrid.com',
    kind: 'startup',
    score: 0.82,
    name: 'Ember Grid',
    text: 'Ember Grid',
    context: 'Ember Grid balances home batteries across a neighbourhood.',
  },
  L7: { domain: 'brightpath.so', kind: 'sponsor', score: 0.5, name: 'Brightpath', text: 'Brightpath' },
});
const issueReport = linkReport(issue);
/** Tidewater and Ember Grid are already in the CRM. */
const issueCrm: AskItem['crm'] = [
  { id: 'c1', name: 'Tidewater', domain: 'tidewater.io', tags: ['logistics'] },
  { id: 'c2', name: 'Ember Grid', domain: 'embergrid.com' },
];

const extract: PlanStep = [{ extract_links: {} }];
const lookup = (linkId: string, name: string): PlanStep => [
  { lookup_company: { link_id: [linkId], name: ['', name] } },
  { lookup_company: { name: [name] } },
];
const startupsListed: PlanStep = [
  { list_candidates: { kind: ['startup', ''], min_score: ['', 0, 0.5, 0.6, 0.7, 0.8], limit: ['', 5, 10, 20, 50] } },
];
const newsletterTag = [['newsletter-nov']];

const askItems: AskItem[] = [
  {
    id: 'ask-is-it-in-the-crm',
    quick: true,
    instruction: 'Is Tidewater already in our CRM?',
    report: issueReport,
    crm: issueCrm,
    plan: [extract, lookup('L3', 'Tidewater')],
    mayAlsoRun: [startupsListed],
    answer: 'Yes: Tidewater is in the CRM.',
  },
  {
    id: 'ask-add-one',
    quick: true,
    instruction: 'Add Quillmark to the CRM, tagged newsletter-nov.',
    report: issueReport,
    crm: issueCrm,
    plan: [extract, [{ add_company: { link_id: ['L1'], name: ['', 'Quillmark'], tags: newsletterTag } }]],
    mayAlsoRun: [lookup('L1', 'Quillmark'), startupsListed],
    answer: 'Added Quillmark, tagged newsletter-nov.',
  },
  {
    id: 'ask-tag-known',
    quick: true,
    instruction: 'Tag Ember Grid with climate.',
    report: issueReport,
    crm: issueCrm,
    plan: [extract, lookup('L6', 'Ember Grid'), [{ tag_company: { company_id: ['c2'], tags: [['climate']] } }]],
    mayAlsoRun: [startupsListed],
    answer: 'Tagged Ember Grid with climate.',
  },
  {
    id: 'ask-export',
    quick: false,
    instruction: 'Export the startups in this issue as CSV.',
    report: issueReport,
    crm: issueCrm,
    plan: [extract, [{ export_csv: { link_ids: [['L1', 'L3', 'L5', 'L6'], ''] } }]],
    mayAlsoRun: [startupsListed],
    answer: 'Exported 4 startups.',
  },
  {
    id: 'ask-add-the-new-ones',
    quick: false,
    instruction: 'Add the startups in this issue that are not in our CRM yet, tagged newsletter-nov.',
    report: issueReport,
    crm: issueCrm,
    plan: [
      extract,
      [{ add_company: { link_id: ['L1'], name: ['', 'Quillmark'], tags: newsletterTag } }],
      [{ add_company: { link_id: ['L5'], name: ['', 'Fern Hollow'], tags: newsletterTag } }],
    ],
    mayAlsoRun: [
      lookup('L1', 'Quillmark'),
      lookup('L3', 'Tidewater'),
      lookup('L5', 'Fern Hollow'),
      lookup('L6', 'Ember Grid'),
      startupsListed,
    ],
    answer: 'Added Quillmark and Fern Hollow.',
  },
  {
    id: 'ask-look-up-by-name',
    quick: false,
    instruction: 'Do we have Marlin Robotics in the CRM?',
    report: issueReport,
    crm: issueCrm,
    plan: [[{ lookup_company: { name: ['Marlin Robotics'] } }]],
    mayAlsoRun: [extract, startupsListed],
    answer: 'Marlin Robotics is not in the CRM.',
  },
  {
    id: 'ask-tag-the-known-ones',
    quick: false,
    instruction: 'Tag every startup in this issue that is already in our CRM with q4-pipeline.',
    report: issueReport,
    crm: issueCrm,
    plan: [
      extract,
      // tag_company takes only a company the run has found, so the two known ones are looked up first.
      lookup('L3', 'Tidewater'),
      lookup('L6', 'Ember Grid'),
      [{ tag_company: { company_id: ['c1'], tags: [['q4-pipeline']] } }],
      [{ tag_company: { company_id: ['c2'], tags: [['q4-pipeline']] } }],
    ],
    mayAlsoRun: [lookup('L1', 'Quillmark'), lookup('L5', 'Fern Hollow'), startupsListed],
    answer: 'Tagged Tidewater and Ember Grid with q4-pipeline.',
  },
  {
    id: 'ask-already-there',
    quick: false,
    instruction: 'Add Tidewater to the CRM.',
    report: issueReport,
    crm: issueCrm,
    plan: [extract, lookup('L3', 'Tidewater')],
    mayAlsoRun: [startupsListed],
    answer: 'Tidewater is already in the CRM; nothing was added.',
  },
];

export function siftJudgeItems(): JudgeItem[] {
  return judgeItems;
}

export function siftAskItems(): AskItem[] {
  return askItems;
}

// ---------------------------------------------------------------- scoring

/** The tools as function docs for the checker: their TypeBox schemas are JSON Schema already. */
export function siftToolDocs(): FunctionDoc[] {
  return tools.map((tool) => {
    const schema = tool.parameters as unknown as { properties?: Record<string, SchemaNode>; required?: string[] };
    return {
      name: tool.name,
      description: tool.description,
      parameters: {
        type: 'object',
        properties: Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([key, node]) => [key, paramDoc(node)]),
        ),
        required: schema.required ?? [],
      },
    };
  });
}

interface SchemaNode {
  type?: string;
  enum?: unknown[];
  items?: SchemaNode;
}

function paramDoc(node: SchemaNode): ParamDoc {
  // TypeBox writes an enum of strings without a `type`.
  const type = node.type ?? (node.enum?.every((value) => typeof value === 'string') ? 'string' : 'any');
  return node.items ? { type, items: paramDoc(node.items) } : { type };
}

export interface JudgementCheck {
  valid: boolean;
  error?: string;
}

/** Every link judged as the truth says; a startup's name among its accepted names (BFCL's string rule). */
export function checkJudgement(
  item: JudgeItem,
  answer: Record<string, { startup: boolean; name: string }>,
): JudgementCheck {
  for (const [id, truth] of Object.entries(item.truth)) {
    const verdict = answer[id];
    if (!verdict) return { valid: false, error: `${id} was not judged` };
    if (verdict.startup !== truth.startup) {
      return { valid: false, error: `${id} is ${truth.startup ? '' : 'not '}a startup` };
    }
    if (truth.startup && !truth.names.map(standardizeString).includes(standardizeString(verdict.name))) {
      return { valid: false, error: `${id} is called ${truth.names.join(' or ')}, not ${verdict.name}` };
    }
  }
  return { valid: true };
}
