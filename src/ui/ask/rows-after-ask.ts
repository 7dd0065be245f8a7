/**
 * After an Ask wrote to the CRM, the newsletter table above it must not keep saying "New" for a
 * company the user just added: rows whose domain matches a company the Ask wrote become "In CRM".
 */
import type { Company } from '../../core/crm/types.ts';
import type { ResultRow } from '../../core/agent/result-row.ts';

export function rowsAfterAsk(rows: readonly ResultRow[], written: readonly Company[], crmLabel: string): ResultRow[] {
  const byDomain = new Map<string, Company>();
  for (const company of written) {
    for (const domain of [company.domain, ...company.aliasDomains]) if (domain) byDomain.set(domain, company);
  }
  return rows.flatMap((row) => {
    const company = row.domain ? byDomain.get(row.domain) : undefined;
    if (!company || (row.status === 'in-crm' && row.companyId === company.id)) return [];
    return [
      {
        ...row,
        status: 'in-crm' as const,
        companyId: company.id,
        companyName: company.name,
        evidence: [`written to ${crmLabel} by Ask (domain ${row.domain})`],
      },
    ];
  });
}
