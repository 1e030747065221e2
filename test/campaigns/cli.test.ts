// `waymark campaigns …` against a real server: create from a file, activate, trigger with a
// context file, the report, list, stop.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { registerCampaignCommands } from '../../src/cli/commands/campaigns.ts';
import { cliRunner } from '../support/cli.ts';
import { campaignWorld, seedAudience } from './support.ts';

test('campaigns from the command line: create, activate, trigger, report, list, stop', async () => {
  const w = await campaignWorld();
  try {
    await seedAudience(w, 'Known shoppers', 2);
    const run = cliRunner(
      await w.listen(),
      (program, out) => registerCampaignCommands(program, out),
      () => w.app.engine.settle(),
    );
    const dir = await mkdtemp(join(tmpdir(), 'waymark-campaigns-'));
    const file = join(dir, 'order-shipped.yaml');
    await writeFile(
      file,
      [
        'id: order-shipped',
        'name: Luma - Order Shipped',
        'type: api-triggered',
        'mode: transactional',
        'namespace: ECID',
        'action:',
        '  channel: email',
        '  configuration: CampaignMail',
        '  content:',
        '    subject: "Order {{context.orderId}} shipped"',
        '    html: "<p>On its way.</p>"',
      ].join('\n'),
    );
    assert.match(await run('campaigns', 'create', file), /created order-shipped \(draft\)/);
    assert.match(await run('campaigns', 'activate', 'order-shipped'), /order-shipped live/);
    const context = join(dir, 'context.json');
    await writeFile(context, JSON.stringify({ orderId: 'A-42' }));
    const sent = await run(
      'campaigns',
      'trigger',
      'order-shipped',
      '--request-id',
      'cli-1',
      '--to',
      'ecid-0',
      'ecid-1',
      '--context',
      context,
    );
    assert.match(sent, /ecid-0 {2}accepted/);
    assert.match(sent, /ecid-1 {2}accepted/);
    assert.deepEqual(
      w.smtp.mails.map((m) => m.subject),
      ['Order A-42 shipped', 'Order A-42 shipped'],
    );
    assert.match(
      await run(
        'campaigns',
        'trigger',
        'order-shipped',
        '--request-id',
        'cli-1',
        '--to',
        'ecid-0',
        'ecid-1',
        '--context',
        context,
      ),
      /already sent: nothing sent again/,
    );
    assert.match(
      await run('campaigns', 'report', 'order-shipped'),
      /total {2}targeted 2 {2}sent 2/,
    );
    assert.match(
      await run('campaigns', 'list'),
      /order-shipped\s+live\s+api-triggered\s+transactional/,
    );
    assert.match(await run('campaigns', 'stop', 'order-shipped'), /order-shipped stopped/);
    assert.equal(JSON.parse(await run('campaigns', 'get', 'order-shipped')).status, 'stopped');
  } finally {
    await w.close();
  }
});

test('the approval verbs: request-approval, reject with a comment, request again, approve', async () => {
  const w = await campaignWorld();
  try {
    const run = cliRunner(
      await w.listen(),
      (program, out) => registerCampaignCommands(program, out),
      () => w.app.engine.settle(),
    );
    const put = await w.request('PUT', '/v1/sandboxes/prod/settings', {
      retentionDays: null,
      approvals: {
        journeyPublish: false,
        campaigns: [{ name: 'Transactional', allowSelfApproval: true }],
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const created = await w.request('POST', '/v1/campaigns', {
      id: 'order-shipped',
      name: 'Luma - Order Shipped',
      type: 'api-triggered',
      mode: 'transactional',
      namespace: 'ECID',
      action: {
        channel: 'email',
        configuration: 'CampaignMail',
        content: { subject: 'Shipped', html: '<p>On its way.</p>' },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await assert.rejects(run('campaigns', 'activate', 'order-shipped'), /needs an approval/);
    assert.match(
      await run('campaigns', 'request-approval', 'order-shipped', '--comment', 'First send'),
      /order-shipped inReview \(approval apr_\S+ pending\)/,
    );
    assert.match(
      await run('campaigns', 'reject', 'order-shipped', '--comment', 'Say when it arrives'),
      /order-shipped draft \(approval apr_\S+ rejected\)/,
    );
    await run('campaigns', 'request-approval', 'order-shipped', '--comment', 'Arrival added');
    assert.match(
      await run('campaigns', 'approve', 'order-shipped'),
      /order-shipped live \(approval apr_\S+ approved\)/,
    );
  } finally {
    await w.close();
  }
});

test('campaigns experiment: shows the experiment, sets the metric, holdout and winner send, refuses contradictions', async () => {
  const w = await campaignWorld();
  try {
    const run = cliRunner(
      await w.listen(),
      (program, out) => registerCampaignCommands(program, out),
      () => w.app.engine.settle(),
    );
    const created = await w.request('POST', '/v1/campaigns', {
      id: 'spring-ab',
      name: 'Luma - Spring A/B',
      type: 'scheduled',
      action: { channel: 'email', configuration: 'CampaignMail' },
      audience: { audience: 'Spring shoppers', namespace: 'ECID' },
      experiment: {
        treatments: [
          { id: 'a', name: 'Discount', percent: 50, content: { subject: 'A', html: '<p>A</p>' } },
          { id: 'b', name: 'Picks', percent: 50, content: { subject: 'B', html: '<p>B</p>' } },
        ],
        metric: { kind: 'opens' },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(
      await run('campaigns', 'experiment', 'spring-ab'),
      [
        'spring-ab experiment',
        '  treatments: a "Discount" 50% (control), b "Picks" 50%',
        '  holdout: 0%',
        '  metric: opens',
        '  minimum sample per treatment: 100',
        '  winner: not sent (the report names it)',
        '',
      ].join('\n'),
    );
    const changed = await run(
      'campaigns',
      'experiment',
      'spring-ab',
      '--metric',
      'conversion',
      '--event',
      'LumaPurchaseEvent',
      '--window',
      '48',
      '--holdout',
      '20',
      '--min-sample',
      '500',
      '--send-winner-after',
      '6',
    );
    assert.match(changed, /metric: conversion LumaPurchaseEvent within 48 h/);
    assert.match(changed, /holdout: 20%/);
    assert.match(changed, /winner: sent to the rest 6 h after each run's start/);
    const e = (await w.request('GET', '/v1/campaigns/spring-ab')).body.definition.experiment;
    assert.deepEqual(
      [e.metric, e.holdoutPercent, e.minSamplePerArm, e.winner],
      [
        { kind: 'conversion', eventType: 'LumaPurchaseEvent', windowHours: 48 },
        20,
        500,
        { kind: 'sendWinnerToRest', afterHours: 6 },
      ],
    );
    assert.match(
      await run('campaigns', 'experiment', 'spring-ab', '--no-winner-send', '--metric', 'clicks'),
      /metric: clicks\n.*\n {2}winner: not sent/,
    );
    await assert.rejects(
      run('campaigns', 'experiment', 'spring-ab', '--window', '12'),
      /--event and --window go with --metric conversion/,
    );
    await assert.rejects(
      run('campaigns', 'experiment', 'spring-ab', '--send-winner-after', '2', '--no-winner-send'),
      /contradict/,
    );
  } finally {
    await w.close();
  }
});
