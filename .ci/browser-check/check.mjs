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
