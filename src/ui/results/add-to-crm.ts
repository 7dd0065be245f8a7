/**
 * Writes one row to the CRM. Called only from the confirm dialog's "Add" button: nothing a
 * newsletter says (or a model decides) can write to the CRM without that click.
 */
import { addSeenCompany } from '../../core/crm/newsletter-company.ts';
import type { CrmBackend } from '../../core/crm/types.ts';
import type { ResultRow } from '../../core/agent/result-row.ts';

export async function addRowToCrm(crm: Pick<CrmBackend, 'add' | 'label'>, row: ResultRow): Promise<ResultRow> {
  const company = await addSeenCompany(crm, {
    name: row.name,
    url: row.url,
    domain: row.domain,
    sentence: row.sentence,
  });
  return {
    ...row,
    status: 'in-crm',
    companyId: company.id,
    companyName: company.name,
    evidence: [`added to ${crm.label} from this run`],
  };
}
