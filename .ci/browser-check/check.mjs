// Opens the Allure report in headless Chromium and checks what a reviewer relies on.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const reportDir = process.env.REPORT_DIR;
const expected = Number(process.env.EXPECTED_CASES);
const shots = process.env.SHOTS_DIR;
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain', '.ico': 'image/x-icon', '.woff': 'font/woff',
  '.woff2': 'font/woff2' };

const server = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = path.join(reportDir, url === '/' ? 'index.html' : url);
  if (!file.startsWith(reportDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404); res.end(); return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };
const json = f => JSON.parse(fs.readFileSync(path.join(reportDir, f), 'utf8'));

const userDataDir = fs.mkdtempSync('/tmp/editunit-chromium-');
// a fresh profile (playwright passes it as --user-data-dir)
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(20000);

  // 1. the case count: the report's summary equals the number of results the run wrote, and the overview shows it
  const total = json('widgets/summary.json').statistic.total;
  check(total === expected, `report counts ${total} test cases, run wrote ${expected} results`);
  await page.goto(base + 'index.html#');
  await page.waitForSelector('text=/test cases/i');
  const overview = await page.textContent('body');
  check(new RegExp(`\\b${total}\\b`).test(overview) && /test cases/i.test(overview), `overview shows "${total} test cases"`);
  await page.screenshot({ path: path.join(shots, 'overview.png'), fullPage: true });

  // walk the suites tree: leaves with their parent group
  const leaves = [];
  const walk = (node, parent) => (node.children || []).forEach(c => c.children ? walk(c, c) : leaves.push({ leaf: c, parent }));
  walk(json('data/suites.json'), null);
  const detail = l => json(`data/test-cases/${l.leaf.uid}.json`);

  // 2. a failed case shows its message; else an expected collapse shows its explanation; else (a green
  //    run without expected collapses) a non-collapse check shows its verdict line with the numbers
  const failed = leaves.find(l => l.parent && ['failed', 'broken'].includes(l.leaf.status));
  const collapse = failed ? null
    : leaves.find(l => l.leaf.name.startsWith('non-collapse') && /collapsed as expected/.test(detail(l).description || ''));
  const verdict = failed || collapse ? null : leaves.find(l => l.leaf.name.startsWith('non-collapse'));
  const target = failed || collapse || verdict;
  const kind = failed ? 'failed case' : collapse ? 'expected-collapse case' : 'passed non-collapse check';
  check(!!target, `the report has a case to read (${kind})`);
  if (target) {
    const d = detail(target);
    const stepLine = (d.testStage?.steps || []).map(s => s.name).find(n => n.startsWith('check non-collapse'));
    const message = ((failed ? d.statusMessage : collapse ? d.description : stepLine) || '').split('\n')[0];
    await page.goto(base + `index.html#suites/${target.parent.uid}/${target.leaf.uid}/`);
    await page.waitForSelector('.test-result__name, .pane__title', { timeout: 20000 });
    const snippet = message.slice(0, 60);
    // the description and steps render after the title: wait for the text itself, not just the page
    const shown = snippet.length > 0 && await page.getByText(snippet, { exact: false }).first()
      .waitFor({ state: 'visible', timeout: 20000 }).then(() => true).catch(() => false);
    check(shown, `${kind} "${target.leaf.name}" shows its message: "${snippet}…"`);
    await page.screenshot({ path: path.join(shots, 'case-message.png'), fullPage: true });
  }

  // 3. the perplexity chart (an SVG attachment) renders
  const withChart = leaves.find(l => (detail(l).testStage?.attachments || []).some(a => a.name === 'perplexity trajectory'))
    || leaves.find(l => (detail(l).testStage?.attachments || []).some(a => a.name.startsWith('perplexity')));
  check(!!withChart, 'a test has a perplexity chart attachment');
  if (withChart) {
    const atts = detail(withChart).testStage.attachments;
    const att = atts.find(a => a.name === 'perplexity trajectory') || atts.find(a => a.name.startsWith('perplexity'));
    await page.goto(base + `index.html#suites/${withChart.parent.uid}/${withChart.leaf.uid}/`);
    await page.getByText(att.name, { exact: true }).first().click();
    const media = page.locator(`img[src*="${att.source}"], object[data*="${att.source}"], iframe[src*="${att.source}"], embed[src*="${att.source}"]`).first();
    await media.waitFor({ state: 'visible', timeout: 20000 }).catch(() => {});
    const box = await media.boundingBox().catch(() => null);
    const natural = await media.evaluate(e => e.tagName === 'IMG' ? e.naturalWidth : 1).catch(() => 0);
    check(!!box && box.width > 50 && box.height > 50 && natural > 0,
      `chart "${att.name}" of "${withChart.leaf.name}" renders (${box ? Math.round(box.width) + '×' + Math.round(box.height) : 'not visible'})`);
    await page.screenshot({ path: path.join(shots, 'perplexity-chart.png'), fullPage: true });
  }

  // 4. both bundled models in one report: cases of a Llama marker class and of a GPT-2 one, and the
  //    environment (shown on the overview) names both families
  const suiteText = JSON.stringify(json('data/suites.json'));
  check(/Llama\w*Test/.test(suiteText) && /"SingleEditTest"|SingleEditTest/.test(suiteText.replace(/Llama\w*Test/g, '')),
    'the report holds cases of the Llama marker classes and of the GPT-2 ones');
  const env = JSON.stringify(json('widgets/environment.json'));
  check(/model\.family[^"]*"[^\]]*llama/.test(env) && /gpt2 \(/.test(env),
    'the environment names both model families (gpt2 and llama)');
  await page.goto(base + 'index.html#');
  await page.waitForSelector('text=/test cases/i');
  // the widget lists the first rows; "Show all" expands it
  await page.locator('.widget', { hasText: 'Environment' }).getByText(/show all/i).first()
    .click({ timeout: 5000 }).catch(() => {});
  const shownEnv = await page.getByText(/llama \(/).first().waitFor({ state: 'visible', timeout: 20000 })
    .then(() => true).catch(() => false);
  check(shownEnv, 'the overview shows the Llama family in its environment widget');
  // which hyperparameter file each method used, and where it came from (a tuned file names its provenance)
  check(/hparams\.rome[^"]*"[^\]]*(catalog:|\.json)/.test(env) && /hparams\.rome\.source/.test(env),
    'the environment names the ROME hyperparameter file and its source');
  const shownHparams = await page.getByText(/hparams\.rome/).first().waitFor({ state: 'visible', timeout: 20000 })
    .then(() => true).catch(() => false);
  check(shownHparams, 'the overview shows the hyperparameter file in its environment widget');
  await page.screenshot({ path: path.join(shots, 'environment.png'), fullPage: true });

  // 5. the Suites tree shows a case as a node with its four checks beneath it (marker class → "file · method"
  //    → case → efficacy, generalisation, locality, non-collapse), each check named after its case
  const kinds = ['efficacy', 'generalisation', 'locality', 'non-collapse'];
  const caseNodes = [];
  const groups = (node, depth) => (node.children || []).forEach(c => {
    if (!c.children) return;
    if (depth === 3) caseNodes.push(c); else groups(c, depth + 1);
  });
  groups(json('data/suites.json'), 1);
  // every result sits in exactly one place of the tree (a second suite label would list it twice)
  check(leaves.length === total, `the suites tree lists ${leaves.length} tests for ${total} results`);
  // a name that only one case node has (the demonstration repeats SequentialEditTest's cases with a fifth check)
  const caseNode = caseNodes.find(n => caseNodes.filter(m => m.name === n.name).length === 1
    && n.children.length === 4 && n.children.every(l => !l.children)
    && kinds.every(k => n.children.some(l => l.name === `${k} · ${n.name}`)));
  check(!!caseNode, `the suites tree has a case node with its four checks (${caseNodes.length} case nodes)`);
  if (caseNode) {
    const first = caseNode.children.find(l => l.name.startsWith('efficacy'));
    await page.goto(base + `index.html#suites/${caseNode.uid}/${first.uid}/`);
    await page.locator('.tree__content .node__name', { hasText: caseNode.name }).first()
      .waitFor({ state: 'visible', timeout: 20000 }).catch(() => {});
    // the names shown beneath the case's node in the rendered tree
    const beneath = await page.evaluate(name => {
      const title = [...document.querySelectorAll('.tree__content .node__name')].find(e => e.textContent.trim() === name);
      let up = title;
      while (up && !(up.querySelector && up.querySelector('.node__children'))) up = up.parentElement;
      const children = up ? up.querySelector('.node__children') : null;
      return children ? [...children.querySelectorAll('.node__name')].map(e => e.textContent.trim()) : null;
    }, caseNode.name);
    const want = kinds.map(k => `${k} · ${caseNode.name}`);
    check(!!beneath && beneath.length === 4 && want.every(w => beneath.includes(w)),
      `the tree shows case "${caseNode.name}" with its four checks beneath it (${beneath ? beneath.length : 'none'} shown)`);
    await page.screenshot({ path: path.join(shots, 'case-node.png'), fullPage: true });
  }

  // 6. steps carry real durations: the longest step (applying an edit takes seconds even on the bundled
  //    models) lasts at least 100 ms, and the test's page shows that duration next to the step's name.
  //    Steps stamped when the check reported them (the old way) last 0–2 ms and fail this.
  const timed = leaves.flatMap(l => (detail(l).testStage?.steps || []).map(step => ({ l, step })))
    .reduce((a, b) => (b.step.time?.duration || 0) > (a?.step.time?.duration || 0) ? b : a, null);
  check(!!timed && timed.step.time.duration >= 100,
    `the longest step lasts ${timed ? timed.step.time.duration : 0} ms in the report data (≥ 100 ms)`);
  if (timed) {
    await page.goto(base + `index.html#suites/${timed.l.parent.uid}/${timed.l.leaf.uid}/`);
    await page.getByText(timed.step.name, { exact: true }).first().waitFor({ state: 'visible', timeout: 20000 }).catch(() => {});
    const row = await page.evaluate(name => {
      const el = [...document.querySelectorAll('.step__name, .step__title *')].find(e => e.textContent.trim() === name);
      const title = el ? el.closest('.step__title') : null;
      return title ? title.textContent.replace(/\s+/g, ' ').trim() : null;
    }, timed.step.name);
    const shownDuration = row ? (row.slice(row.indexOf(timed.step.name) + timed.step.name.length).match(/(\d+m )?(\d+s )?\d+(ms|s)/) || [null])[0] : null;
    check(!!shownDuration && !/^0(ms|s)$/.test(shownDuration) && !/\(\d+(\.\d+)? ?s\)/.test(timed.step.name),
      `step "${timed.step.name}" of "${timed.l.leaf.name}" shows its duration ${shownDuration} (${timed.step.time.duration} ms)`);
    await page.screenshot({ path: path.join(shots, 'step-duration.png'), fullPage: true });
  }

  // 7. knowledge canaries (KnowledgeLossDemonstration): a knowledge-retained check failed with "knowledge lost: …"
  //    while the non-collapse check of the same step passed, and its canary-and-perplexity chart renders
  const lost = leaves.find(l => l.leaf.name.startsWith('knowledge-retained') && l.leaf.status === 'failed'
    && /^knowledge lost: /.test(detail(l).statusMessage || ''));
  check(!!lost, 'a knowledge-retained check failed with "knowledge lost: …"');
  if (lost) {
    const sibling = lost.parent.children.find(c => c.name.startsWith('non-collapse'));
    check(!!sibling && sibling.status === 'passed',
      `the non-collapse check of "${lost.parent.name}" passed while its canaries were lost (${sibling ? sibling.status : 'missing'})`);
    const att = (detail(lost).testStage?.attachments || []).find(a => a.name === 'knowledge canaries and perplexity');
    check(!!att, 'the lost-knowledge check has the "knowledge canaries and perplexity" chart');
    if (att) {
      await page.goto(base + `index.html#suites/${lost.parent.uid}/${lost.leaf.uid}/`);
      const snippet = detail(lost).statusMessage.slice(0, 60);
      const shown = await page.getByText(snippet, { exact: false }).first()
        .waitFor({ state: 'visible', timeout: 20000 }).then(() => true).catch(() => false);
      check(shown, `the page of "${lost.leaf.name}" shows "${snippet}…"`);
      await page.getByText(att.name, { exact: true }).first().click();
      const media = page.locator(`img[src*="${att.source}"], object[data*="${att.source}"], iframe[src*="${att.source}"], embed[src*="${att.source}"]`).first();
      await media.waitFor({ state: 'visible', timeout: 20000 }).catch(() => {});
      const box = await media.boundingBox().catch(() => null);
      check(!!box && box.width > 50 && box.height > 50, `the canary chart renders (${box ? Math.round(box.width) + '×' + Math.round(box.height) : 'not visible'})`);
      await page.screenshot({ path: path.join(shots, 'knowledge-lost.png'), fullPage: true });
    }
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`browser-check: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`browser-check: all checks passed; screenshots in ${shots}`);
