// A campaign's sample context in the console: the demo's Order Shipped (live) previews with the
// one it ships, shown read only; a draft's is edited as JSON on its review page: a mistake is
// named under the text, which stays as typed (and so does a refused save), and the preview
// renders {{context.…}} from it once saved.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useCampaignConsole } from './support/campaign-console.ts';

describe('sample context on the campaign review page', () => {
  const ui = useCampaignConsole('campaign-sample-context-last');
  const card = () => ui.page.getByRole('region', { name: 'Sample context' });
  const preview = () =>
    ui.page.getByRole('region', { name: 'Message preview' }).locator('.preview-subject');

  test("the demo's Order Shipped previews with its sample context, read only", async () => {
    const { page } = ui;
    await page.goto(`${ui.server.url}/campaigns/luma-order-shipped`);
    await card().getByText('"trackingUrl": "https://ups.example/1Z1001"').waitFor();
    assert.equal(await card().getByRole('textbox').count(), 0, 'live: read only');
    await preview().getByText('Your order 1001 has shipped').waitFor();
    await page.getByLabel('cURL').getByText('"orderId": "1001"').waitFor();
  });

  test('a draft: edited as JSON, a mistake named and the text kept; saved, the preview uses it', async () => {
    const { page } = ui;
    const shipped = await ui.api('GET', '/v1/campaigns/luma-order-shipped');
    const def = shipped['definition'] as Record<string, unknown>;
    const { sampleContext: _none, ...withoutContext } = def;
    await ui.api('POST', '/v1/campaigns', {
      ...withoutContext,
      id: 'order-delayed',
      name: 'Luma - Order Delayed',
    });
    await page.goto(`${ui.server.url}/campaigns/order-delayed`);
    const editor = card().getByLabel('Sample context (JSON)');
    await editor.waitFor();
    await preview().getByText('Your order  has shipped').waitFor();

    const broken = '{\n  "orderId": "2002",\n  "carrier": DHL\n}';
    await editor.fill(broken);
    await card()
      .getByRole('alert')
      .getByText(/Not valid JSON \(line 3\)/)
      .waitFor();
    assert.equal(await editor.inputValue(), broken, 'the text stays as typed');
    assert.equal(
      await card().getByRole('button', { name: 'Save sample context' }).isDisabled(),
      true,
    );
    await editor.fill('[1, 2]');
    await card()
      .getByRole('alert')
      .getByText(/a JSON object.*not a list/)
      .waitFor();

    await editor.fill('{\n  "orderId": "2002",\n  "carrier": "DHL"\n}');
    assert.equal(await card().getByRole('alert').count(), 0);
    // The preview follows the text as soon as it is an object.
    await preview().getByText('Your order 2002 has shipped').waitFor();
    await ui.shot('campaign-sample-context-edit');

    // A save the server refuses (another change came first) says why; the text stays.
    const current = await ui.api('GET', '/v1/campaigns/order-delayed');
    await ui.api('PUT', '/v1/campaigns/order-delayed', {
      ...(current['definition'] as Record<string, unknown>),
      description: 'changed elsewhere',
    });
    await card().getByRole('button', { name: 'Save sample context' }).click();
    await card().getByRole('alert').waitFor();
    assert.match(await editor.inputValue(), /"carrier": "DHL"/);

    await page.reload();
    await editor.fill('{\n  "orderId": "2002",\n  "carrier": "DHL"\n}');
    await card().getByRole('button', { name: 'Save sample context' }).click();
    await card()
      .getByRole('button', { name: 'Save sample context' })
      .and(page.locator(':disabled'))
      .waitFor();
    const saved = await ui.api('GET', '/v1/campaigns/order-delayed');
    assert.deepEqual((saved['definition'] as Record<string, unknown>)['sampleContext'], {
      orderId: '2002',
      carrier: 'DHL',
    });
    await preview().getByText('Your order 2002 has shipped').waitFor();
    assert.deepEqual(ui.errors, []);
  });
});
