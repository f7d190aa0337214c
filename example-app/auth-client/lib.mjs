// What every suite of the official client shares: where the app runs, a browser (its own
// cookie jar and Origin header), and the development mailer's directory. .ci/auth-client.sh
// starts the app and sets AUTH_BASE_URL and MAIL_DIR.
import { createAuthClient } from "better-auth/client";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const BASE_URL = process.env.AUTH_BASE_URL ?? "http://127.0.0.1:3000";
export const MAIL_DIR = process.env.MAIL_DIR ?? "data/mail";

/** A unique address per call, so suites never meet each other's accounts. */
let counter = 0;
export function uniqueEmail(name) {
  counter += 1;
  return `${name.toLowerCase()}-${process.pid}-${Date.now()}-${counter}@example.com`;
}

/**
 * A browser: `client` is Better Auth's own client, sending this browser's cookies and the
 * app's Origin, as a page on the app would; `fetch` is the same transport for plain requests
 * (redirects are not followed, so a test sees them).
 */
export function browser(plugins = []) {
  const jar = new Map();
  const send = async (input, init = {}) => {
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set("origin", BASE_URL);
    if (jar.size > 0) {
      headers.set("cookie", [...jar].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(input, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  const client = createAuthClient({
    baseURL: BASE_URL,
    plugins,
    fetchOptions: { customFetchImpl: send },
  });
  return { client, fetch: send, jar };
}

/** A browser holding exactly `cookies` (a jar copied from another: a replayed cookie). */
export function browserWith(cookies) {
  const other = browser();
  for (const [name, value] of cookies) other.jar.set(name, value);
  return other;
}

/** Every mail the development mailer wrote so far, oldest first. */
export async function mails() {
  let names;
  try {
    names = (await readdir(MAIL_DIR)).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(MAIL_DIR, n), "utf8"))));
}

/**
 * The next mail to `to` after the `seen` ones (`await mailsTo(to)` before the request, then
 * `await nextMail(to, seen.length)`): mail leaves the server in a background task.
 */
export async function nextMail(to, seen = 0) {
  for (let i = 0; i < 300; i++) {
    const found = (await mails()).filter((m) => m.to === to);
    if (found.length > seen) return found[seen];
    await sleep(100);
  }
  throw new Error(`no mail to ${to} in ${MAIL_DIR} within 30 s`);
}

export async function mailsTo(to) {
  return (await mails()).filter((m) => m.to === to);
}

/** The link in a mail's text. */
export function linkOf(mail) {
  const link = mail.text.match(/https?:\/\/\S+/)?.[0];
  if (!link) throw new Error(`no link in ${JSON.stringify(mail)}`);
  return link;
}

/** A parameter of a URL. */
export function param(url, name) {
  return new URL(url).searchParams.get(name);
}
