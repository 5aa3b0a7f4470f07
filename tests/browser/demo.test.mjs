// The demo page in a real browser: Debian's Chromium, headless, driven by playwright-core.
//
//   node tests/browser/demo.test.mjs BASE_URL TOKEN IMAGE TRUTH_JSON SCREENSHOT_PNG
//
// BASE_URL serves `vlocr serve` with TOKEN as its only credential. The page is opened, the image
// uploaded, and the first request must fail with 401 and show the token box; with the token
// filled in, the request is sent again and the field table must hold the truth's plate and VIN,
// the overlay the card outline and the field boxes. A screenshot is saved. Any console error
// (a Content-Security-Policy violation included) fails the test. Exit status 0 means passed.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const [base, token, image, truthFile, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error("usage: demo.test.mjs BASE_URL TOKEN IMAGE TRUTH_JSON SCREENSHOT_PNG");
  process.exit(2);
}
const truth = JSON.parse(readFileSync(truthFile, "utf8")).fields;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Playwright gives the browser a new, empty profile of its own.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on("console", (message) => {
    // The first request's 401 is expected; the browser logs it as a failed resource.
    const expected = message.text().includes("status of 401");
    if (message.type() === "error" && !expected) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));

  await page.goto(base + "/");
  check((await page.title()).includes("vlocr"), "the demo page's title names vlocr");
  await page.setInputFiles("#file", image);
  await page.click("#send");

  // Authentication is on: the page must ask for the token.
  await page.waitForSelector("#auth:not([hidden])", { timeout: 30000 });
  const status = await page.textContent("#status");
  check(status.includes("ModelArts.4101"), `401 status shown, got ${JSON.stringify(status)}`);
  await page.fill("#token", token);
  await page.click("#send");

  const cell = (field) => `table[data-page="front"] tr[data-field="${field}"] td`;
  await page.waitForSelector(cell("vin"), { timeout: 60000 });
  const plate = (await page.textContent(cell("number"))).trim();
  const vin = (await page.textContent(cell("vin"))).trim();
  check(plate === truth.number, `plate cell: ${plate}, expected ${truth.number}`);
  check(vin === truth.vin, `VIN cell: ${vin}, expected ${truth.vin}`);
  // Each value's confidence beside it (return_confidence is asked by default).
  const score = (await page.textContent(`${cell("number")}.confidence`)).trim();
  check(/^\d{1,3}%$/.test(score), `plate confidence: ${score}`);

  const fields = await page.locator("#overlay polygon.field").count();
  const cards = await page.locator("#overlay polygon.card").count();
  const names = await page.locator("#overlay text").allTextContents();
  check(cards >= 1, "the card outline is drawn");
  check(fields >= 8, `field boxes drawn: ${fields}`);
  check(names.includes("号牌号码") && names.includes("车辆识别代号"), `field names drawn: ${names}`);
  const timing = await page.textContent("#timing");
  check(/total \d+ ms/.test(timing), `server timing shown: ${timing}`);
  const json = await page.textContent("#json");
  check(JSON.parse(json).result.vin === truth.vin, "the raw JSON is shown");

  await page.screenshot({ path: screenshot, fullPage: true });
  check(problems.length === 0, `console errors: ${problems.join(" | ")}`);
  console.log(`demo page: plate ${plate}, VIN ${vin}, ${fields} field boxes, ${timing}`);
  console.log(`screenshot: ${screenshot}`);
} catch (error) {
  console.error(`demo page test failed: ${error.message}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
