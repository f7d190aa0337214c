// The demo site in a real browser: headless Chromium (the system's, driven by playwright-core)
// runs every flow twice, with JavaScript disabled (forms post to the actions, which answer
// 303) and enabled (site.js submits through the generated client), asserting on what the
// page shows. Run by .ci/browser.sh against the running app: BASE_URL, ADMIN_EMAIL,
// ADMIN_PASSWORD and SCREENSHOTS (where the main pages' screenshots go) come from it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const screenshots = process.env.SCREENSHOTS;
const password = "a long enough password";

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
});
after(async () => {
  await browser?.close();
});

for (const javaScript of [false, true]) {
  const mode = javaScript ? "js" : "nojs";
  describe(`the demo site, JavaScript ${javaScript ? "on" : "off"}`, { concurrency: false }, () => {
    let context;
    let page;
    let postId;
    const ada = { name: `Ada ${mode}`, email: `ada-${mode}@example.test` };
    const bob = { name: `Bob ${mode}`, email: `bob-${mode}@example.test` };

    before(async () => {
      context = await browser.newContext({ javaScriptEnabled: javaScript, baseURL: base, viewport: { width: 900, height: 700 } });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
    });
    after(async () => {
      await context?.close();
    });

    /** Submits the form holding `button`, waiting for the page that follows (or, with JS, for what the script shows). */
    async function submit(button, { navigates }) {
      if (navigates) {
        await Promise.all([page.waitForNavigation(), page.locator(button).click()]);
      } else {
        await page.locator(button).click();
      }
    }

    async function shot(name) {
      if (screenshots !== undefined && javaScript) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
    }

    async function signedInAs(name) {
      assert.equal((await page.locator(".who").textContent()).trim(), `Signed in as ${name}`);
    }

    async function signUp(user) {
      await page.goto("/sign-up");
      await page.fill("#name", user.name);
      await page.fill("#email", user.email);
      await page.fill("#password", password);
      await submit("main button[type=submit]", { navigates: true });
      await page.waitForURL(`${base}/`);
      await signedInAs(user.name);
    }

    async function signOut() {
      await submit(".site-header button", { navigates: true });
      await page.waitForURL(`${base}/`);
      assert.equal(await page.locator(".who").count(), 0);
      assert.equal(await page.getByRole("link", { name: "Sign in" }).count(), 1);
    }

    test("the script runs only when JavaScript is on", async () => {
      await page.goto("/");
      assert.equal(await page.locator("html").getAttribute("data-enhanced"), javaScript ? "true" : null);
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
    });

    test("sign up, sign out, sign in", async () => {
      await signUp(ada);
      await signOut();
      await page.goto("/sign-in");
      await page.fill("#email", ada.email);
      await page.fill("#password", "not the password");
      await submit("main button[type=submit]", { navigates: !javaScript });
      await page.locator("[role=alert] h2").waitFor();
      assert.match(await page.locator("[role=alert]").textContent(), /invalid email or password/i);
      assert.equal(await page.inputValue("#email"), ada.email, "the email typed is kept");
      await page.fill("#password", password);
      await submit("main button[type=submit]", { navigates: true });
      await page.waitForURL(`${base}/`);
      await signedInAs(ada.name);
    });

    test("an empty title: the error beside the title field, the typed body kept", async () => {
      await page.goto("/posts/new");
      await page.fill("#title", "   ");
      await page.fill("#body", `A body typed before the mistake (${mode})`);
      await submit("main button[type=submit]", { navigates: !javaScript });
      const error = page.locator("#title-error");
      await error.waitFor();
      assert.match(await error.textContent(), /at least 1/);
      assert.equal(await page.locator("#title").getAttribute("aria-invalid"), "true");
      assert.equal(await page.locator("#title").getAttribute("aria-describedby"), "title-error");
      assert.equal(await page.inputValue("#body"), `A body typed before the mistake (${mode})`);
      assert.match(await page.locator("[role=alert]").textContent(), /title/);
      await shot("form-errors");
    });

    test("create a post: it shows on its page and in the list", async () => {
      await page.fill("#title", `Hello from ${mode}`);
      await submit("main button[type=submit]", { navigates: true });
      await page.waitForURL(/\/posts\/\d+$/);
      postId = Number(new URL(page.url()).pathname.split("/").pop());
      assert.equal(await page.locator("h1").textContent(), `Hello from ${mode}`);
      assert.match(await page.locator(".post .body").textContent(), /typed before the mistake/);
      await shot("post");
      await page.goto("/");
      assert.equal(await page.locator(`.posts a[href="/posts/${postId}"]`).textContent(), `Hello from ${mode}`);
    });

    test("search and paging", async () => {
      // Seven more posts, through the action (what is tested here is the list's paging).
      for (let n = 1; n <= 7; n++) {
        const response = await context.request.post("/_actions/post.create", {
          data: { title: `Paging ${mode} ${n}`, body: "…" },
          headers: { origin: base },
        });
        assert.equal(response.status(), 200);
      }
      await page.goto("/");
      await page.fill("#q", `paging ${mode}`);
      await submit("form[role=search] button", { navigates: true });
      const titles = () => page.locator(".posts a").allTextContents();
      assert.deepEqual(await titles(), [7, 6, 5, 4, 3].map((n) => `Paging ${mode} ${n}`));
      await shot("list");
      await submit("a[rel=next]", { navigates: true });
      assert.deepEqual(await titles(), [2, 1].map((n) => `Paging ${mode} ${n}`));
      assert.equal(await page.locator("a[rel=next]").count(), 0);
      await submit("a[rel=prev]", { navigates: true });
      assert.deepEqual(await titles(), [7, 6, 5, 4, 3].map((n) => `Paging ${mode} ${n}`));
      assert.equal(await page.locator("a[rel=prev]").count(), 0);
      await page.fill("#q", `hello from ${mode}`);
      await submit("form[role=search] button", { navigates: true });
      assert.deepEqual(await titles(), [`Hello from ${mode}`]);
    });

    test("edit one's own post", async () => {
      await page.goto(`/posts/${postId}`);
      await submit("text=Edit this post", { navigates: true });
      assert.equal(await page.inputValue("#title"), `Hello from ${mode}`);
      await page.fill("#title", `Hello again from ${mode}`);
      await submit("main button[type=submit]", { navigates: true });
      await page.waitForURL(`${base}/posts/${postId}`);
      assert.equal(await page.locator("h1").textContent(), `Hello again from ${mode}`);
    });

    test("another user's edit is refused, by the page and by the action", async () => {
      await signOut();
      await signUp(bob);
      await page.goto(`/posts/${postId}`);
      assert.equal(await page.locator("text=Edit this post").count(), 0);
      const response = await page.goto(`/posts/${postId}/edit`);
      assert.equal(response.status(), 403);
      assert.equal(await page.locator("h1").textContent(), "You cannot edit this post");
      assert.match(await page.locator("[role=alert]").textContent(), /Only its author may edit/);
      assert.equal(await page.locator("#title").count(), 0, "no form to fill in");
      const refused = await context.request.post("/_actions/post.update", {
        data: { id: postId, title: "Taken over" },
        headers: { origin: base },
      });
      assert.equal(refused.status(), 403);
    });

    test("open accounts, transfer, and an overdraft refused", async () => {
      await page.goto("/account");
      for (const [name, deposit] of [["Savings", "1000"], ["Checking", "0"]]) {
        await page.fill("#name", name);
        await page.fill("#initialDeposit", deposit);
        await submit("form[data-action='account.open'] button", { navigates: true });
        await page.waitForURL(`${base}/account`);
      }
      const rows = page.locator("table.accounts tbody tr");
      assert.equal(await rows.count(), 2);
      const ids = (await rows.locator("td:first-child").allTextContents()).map(Number);
      const balances = async () => (await rows.locator("td:last-child").allTextContents()).map(Number);
      assert.deepEqual(await balances(), [1000, 0]);
      await page.selectOption("#from", String(ids[0]));
      await page.fill("#to", String(ids[1]));
      await page.fill("#amount", "300");
      await submit("form[data-action='account.transfer'] button", { navigates: true });
      await page.waitForURL(`${base}/account`);
      assert.deepEqual(await balances(), [700, 300]);
      await page.selectOption("#from", String(ids[1]));
      await page.fill("#to", String(ids[0]));
      await page.fill("#amount", "5000");
      await submit("form[data-action='account.transfer'] button", { navigates: !javaScript });
      await page.locator("[role=alert] h2").waitFor();
      assert.match(await page.locator("[role=alert]").textContent(), /insufficient funds/);
      assert.equal(await page.inputValue("#amount"), "5000", "the amount typed is kept");
      assert.deepEqual(await balances(), [700, 300]);
      await shot("account");
    });

    test("the contact form, with an attachment", async () => {
      await page.goto("/contact");
      await page.fill("#name", bob.name);
      await page.fill("#email", "not an address");
      await page.fill("#message", `Hello (${mode})`);
      await submit("main button[type=submit]", { navigates: !javaScript });
      await page.locator("#email-error").waitFor();
      assert.equal(await page.inputValue("#message"), `Hello (${mode})`);
      await page.fill("#email", bob.email);
      await page.selectOption("#topics", ["posts", "other"]);
      await page.check("#subscribe");
      await page.setInputFiles("#attachment", { name: `notes-${mode}.txt`, mimeType: "text/plain", buffer: Buffer.from("attached text") });
      await submit("main button[type=submit]", { navigates: !javaScript });
      await page.locator(".notice").waitFor();
      assert.match(await page.locator(".notice").textContent(), /your message was sent/);
      // What the app stored, read by an admin: the attachment arrived.
      const admin = await browser.newContext({ baseURL: base });
      const signIn = await admin.request.post("/api/auth/sign-in/email", {
        data: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD },
        headers: { origin: base },
      });
      assert.equal(signIn.status(), 200);
      const list = await admin.request.post("/_actions/contact.list", { data: { limit: 100 }, headers: { origin: base } });
      assert.equal(list.status(), 200);
      const message = (await list.json()).find((m) => m.message === `Hello (${mode})`);
      assert.ok(message, "the message is stored");
      assert.equal(message.attachmentName, `notes-${mode}.txt`);
      assert.equal(message.attachmentSize, "attached text".length);
      assert.equal(message.subscribe, true);
      await admin.close();
    });

    test("sign out", async () => {
      await page.goto("/");
      await signOut();
      const response = await page.goto("/account");
      assert.equal(new URL(page.url()).pathname, "/sign-in", "a signed-out visitor is sent to sign in");
      assert.equal(response.status(), 200);
    });
  });
}
