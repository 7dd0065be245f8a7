/**
 * CRM connectors in real Chromium: the app is served from localhost, each CRM stand-in is a local
 * server on 127.0.0.1 speaking that CRM's documented REST shapes, so every request is cross-origin
 * and CORS is enforced by the browser exactly as it would be against the real API.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { startAirtableServer, type AirtableServer } from '../servers/airtable-server.ts';
import type { LocalApiServer } from '../servers/http-server.ts';
import { pipedriveOrganization, startPipedriveServer } from '../servers/pipedrive-server.ts';
import { startProxyHost, type ProxyHost } from '../servers/proxy-host.ts';
import { startRestServer } from '../servers/rest-server.ts';
import { startTwentyServer, twentyCompany } from '../servers/twenty-server.ts';
import { expect, test } from './fixtures.ts';

const TOKEN = 'patE2eConnectorToken.abcdef0123456789';
const BASE = 'appE2ETESTBASE001';

const servers: (LocalApiServer | ProxyHost)[] = [];
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function airtable(cors = true): Promise<AirtableServer> {
  const server = await startAirtableServer({
    token: TOKEN,
    baseId: BASE,
    table: 'Companies',
    fieldNames: ['Name', 'Website', 'Tags'],
    cors,
    records: [
      {
        id: 'recACME0000000001',
        createdTime: '2026-01-02T03:04:05.000Z',
        fields: { Name: 'Acme Robotics', Website: 'https://acme.com', Tags: ['portfolio'] },
      },
    ],
  });
  servers.push(server);
  return server;
}

async function openConnectors(page: Page): Promise<void> {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByTestId('connector-settings')).toBeVisible();
  await expect(page.getByTestId('connector-kind')).toBeEnabled();
}

async function fillAirtable(page: Page, server: { url: string }, token = TOKEN, baseId = BASE): Promise<void> {
  await page.getByTestId('connector-kind').selectOption('airtable');
  await page.getByLabel('API address').fill(server.url);
  await page.getByTestId('airtable-base').fill(baseId);
  await page.getByTestId('airtable-table').fill('Companies');
  await page.getByTestId('connector-secret').fill(token);
}

async function testConnection(page: Page): Promise<string> {
  await page.getByTestId('connector-test').click();
  const check = page.getByTestId('connection-check');
  await expect(check).toBeVisible();
  return (await check.textContent()) ?? '';
}

test.describe('CRM connectors against local servers speaking each CRM’s documented REST shapes', () => {
  test('Airtable: test connection says OK with a good token, "bad credentials" on 401, "not found" on 404, "rate-limited" on 429', async ({
    page,
    consoleWatch,
  }) => {
    const server = await airtable();
    await openConnectors(page);

    // A pasted address of the base becomes its id.
    await fillAirtable(page, server, TOKEN, `https://airtable.com/${BASE}/tblCOMPANIES00001/viwGRID000000001`);
    await expect(page.getByTestId('airtable-base')).toHaveValue(BASE);
    await page.getByTestId('airtable-table').fill('Companies');
    expect(await testConnection(page)).toContain('OK — Airtable answered');
    await expect(page.getByTestId('connection-check')).toHaveAttribute('data-status', 'ok');
    const { violations } = await new AxeBuilder({ page }).include('[data-testid="connector-settings"]').analyze();
    expect(violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);

    await page.getByTestId('connector-secret').fill('patWrongToken');
    expect(await testConnection(page)).toContain('Bad credentials — Airtable refused the credentials (HTTP 401)');
    await expect(page.getByTestId('connection-check')).toContainText('airtable.com/create/tokens');

    await page.getByTestId('connector-secret').fill(TOKEN);
    await page.getByTestId('airtable-base').fill('appNOSUCHBASE0001');
    expect(await testConnection(page)).toContain('Not found');
    await expect(page.getByTestId('connection-check')).toContainText('Check the base id');

    await page.getByTestId('airtable-base').fill(BASE);
    server.rateLimitNext(1, 12);
    expect(await testConnection(page)).toContain('Rate-limited');
    // The server exposes Retry-After to the page, so the wait is the server's, not the default 30 s.
    await expect(page.getByTestId('connection-check')).toContainText('Wait 12 s');

    // The browser's own console reports failed HTTP statuses; nothing else may appear.
    expect(consoleWatch.errors.filter((error) => !/status of (401|404|429)/.test(error))).toEqual([]);
  });

  test('"blocked by CORS or network" against a local server that sends no CORS headers, though it answered', async ({
    page,
  }) => {
    // Airtable's Bearer header needs a preflight: the server answers it without CORS headers.
    const server = await airtable(false);
    await openConnectors(page);
    await fillAirtable(page, server);
    expect(await testConnection(page)).toContain('Blocked by CORS or network');
    await expect(page.getByTestId('connection-check')).toContainText('add a proxy URL');
    expect(server.requests.map((request) => request.method)).toEqual(['OPTIONS']);

    // Pipedrive's token rides in the query: no preflight, the GET arrives and gets a 200 the page may not read.
    const pipedrive = await startPipedriveServer({
      apiToken: TOKEN,
      cors: false,
      organizations: [pipedriveOrganization(1, 'Acme Robotics')],
    });
    servers.push(pipedrive);
    await page.getByTestId('connector-kind').selectOption('pipedrive');
    await page.getByTestId('pipedrive-base').fill(pipedrive.url);
    await page.getByTestId('connector-secret').fill(TOKEN);
    expect(await testConnection(page)).toContain('Blocked by CORS or network');
    expect(pipedrive.requests.map((request) => request.method)).toEqual(['GET']);
    await expect(page.getByTestId('connector-settings')).not.toContainText(TOKEN);
  });

  test('Twenty and a generic REST API: the fields in the panel reach each API, and its diagnosis comes back', async ({
    page,
  }) => {
    const twenty = await startTwentyServer({
      apiKey: TOKEN,
      companies: [twentyCompany('Acme Robotics', 'https://acme.com')],
    });
    const rest = await startRestServer({ apiKey: TOKEN });
    servers.push(twenty, rest);
    await openConnectors(page);

    await page.getByTestId('connector-kind').selectOption('twenty');
    await page.getByTestId('twenty-base').fill(twenty.url);
    await page.getByTestId('connector-secret').fill(TOKEN);
    expect(await testConnection(page)).toContain('OK — Twenty answered');
    await page.getByTestId('connector-secret').fill('expired-key');
    expect(await testConnection(page)).toContain(
      'Bad credentials — Twenty refused the credentials (HTTP 401). It said: “Token invalid.”',
    );

    await page.getByTestId('connector-kind').selectOption('rest');
    await page.getByTestId('rest-search-domain').fill(`${rest.url}/api/companies?domain={domain}`);
    await page.getByLabel('Headers (one “Name: value” per line)').fill('X-Api-Key: {secret}');
    await page.getByLabel('Path to results').fill('data.items');
    await page.getByTestId('connector-secret').fill(TOKEN);
    expect(await testConnection(page)).toContain('OK — My CRM answered a test search with a list of 0 records.');
    await page.getByTestId('rest-search-domain').fill(`${rest.url}/api/firms?domain={domain}`);
    expect(await testConnection(page)).toContain('Not found');
  });

  test('the proxy Worker script makes a CRM without CORS headers usable from the page', async ({ page }) => {
    const crm = await airtable(false);
    const appOrigin = new URL(test.info().project.use.baseURL!).origin;
    const proxy = await startProxyHost({ ALLOWED_HOSTS: new URL(crm.url).host, APP_ORIGIN: appOrigin });
    servers.push(proxy);
    await openConnectors(page);
    await fillAirtable(page, crm);
    expect(await testConnection(page)).toContain('Blocked by CORS or network');
    await page.getByTestId('connector-proxy').fill(proxy.url);
    expect(await testConnection(page)).toContain('OK — Airtable answered');
    expect(crm.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test('Airtable switched on: a lookup matches by domain, an add happens only after "Confirm add", and it all survives a reload', async ({
    page,
  }) => {
    const server = await airtable();
    await openConnectors(page);
    await fillAirtable(page, server);
    await page.getByTestId('connector-enabled').check();
    await expect(page.getByTestId('connector-status')).toContainText('On: newsletters are checked against Airtable');

    await page.getByTestId('lookup-domain').fill('app.acme.com');
    await page.getByTestId('lookup-submit').click();
    await expect(page.getByTestId('lookup-result')).toHaveAttribute('data-status', 'in-crm');
    await expect(page.getByTestId('lookup-result')).toContainText(
      'Acme Robotics (app.acme.com is a subdomain of acme.com)',
    );

    await page.getByTestId('lookup-domain').fill('gamma.dev');
    await page.getByTestId('lookup-name').fill('Gamma');
    await page.getByTestId('lookup-submit').click();
    await expect(page.getByTestId('lookup-result')).toHaveAttribute('data-status', 'not-in-crm');
    await page.getByTestId('propose-add').click();
    await expect(page.getByTestId('confirm-add')).toContainText(
      'This will create Gamma (https://gamma.dev) in Airtable',
    );
    expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
    await page.getByTestId('confirm-add-button').click();
    await expect(page.getByTestId('lookup-added')).toContainText('Added “Gamma” to Airtable (Companies) (id rec');
    expect(server.records.at(-1)!.fields).toEqual({ Name: 'Gamma', Website: 'https://gamma.dev', Tags: ['sift'] });

    // Settings and the token come back from IndexedDB, and the host is allowed again on load.
    await page.reload();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByTestId('connector-status')).toContainText('On:');
    await expect(page.getByTestId('airtable-base')).toHaveValue(BASE);
    await page.getByTestId('lookup-domain').fill('gamma.dev');
    await page.getByTestId('lookup-submit').click();
    await expect(page.getByTestId('lookup-result')).toHaveAttribute('data-status', 'in-crm');

    await page.getByTestId('connector-enabled').uncheck();
    await expect(page.getByTestId('connector-status')).toContainText('Off: nothing is sent to any CRM.');
  });
});
