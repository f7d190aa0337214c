// The generated client against the running example app (`.ci/client.sh` starts it and sets
// ACTIONS_BASE_URL, ADMIN_EMAIL and ADMIN_PASSWORD). Node's fetch keeps no cookies, so each
// signed-in client sends its session token as `Authorization: Bearer`, which the server accepts
// (and which, carrying no cookie, needs no Origin header for CSRF).

import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  ActionError,
  createActions,
  createAuth,
  defineAction,
  isActionError,
  isInputError,
  parseJson,
  stringifyJson,
  type Actions,
} from "./actions.js";

const baseUrl = process.env["ACTIONS_BASE_URL"] ?? "";
const server = { skip: baseUrl === "" ? "ACTIONS_BASE_URL is not set (run .ci/client.sh)" : false };
const auth = createAuth({ baseUrl });
const anonymous = createActions({ baseUrl });

/** A fresh account, signed up through the typed auth client, and its actions. */
async function signUp(name: string): Promise<{ id: string; actions: Actions }> {
  const email = `${name}-${crypto.randomUUID()}@example.com`;
  const { data, error } = await auth.signUp.email({ name, email, password: "a long enough password" });
  assert.equal(error, undefined);
  assert.ok(data?.token, "sign-up answers a session token");
  return { id: data.user.id, actions: createActions({ baseUrl, headers: { Authorization: `Bearer ${data.token}` } }) };
}

describe("lossless JSON", () => {
  test("integers beyond 2^53 read as exact bigints; the rest as JSON.parse reads them", () => {
    const text = '{"id":9007199254740993,"n":-9223372036854775808,"small":42,"f":1.5,"e":1e400,"max":9007199254740991,"s":"9007199254740993","a":[1,null,true,{"x":"\\u00e9\\n"}]}';
    assert.deepEqual(parseJson(text), {
      id: 9007199254740993n,
      n: -9223372036854775808n,
      small: 42,
      f: 1.5,
      e: Infinity,
      max: 9007199254740991,
      s: "9007199254740993",
      a: [1, null, true, { x: "é\n" }],
    });
    const plain = '{"a":[1,2.5,"x",{"b":null}],"c":false}';
    assert.deepEqual(parseJson(plain), JSON.parse(plain));
    const proto = parseJson('{"__proto__":{"admin":true}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(proto), Object.prototype, "__proto__ is an own key, as JSON.parse makes it");
    assert.deepEqual(Object.keys(proto), ["__proto__"]);
  });

  test("malformed JSON is refused", () => {
    for (const text of ["", "{", '{"a":1,}', "[1 2]", "01", '"\\x"', "nul", "{} x"]) {
      assert.throws(() => parseJson(text), SyntaxError, text);
    }
  });

  test("a bigint is written as its digits, everything else as JSON.stringify writes it", () => {
    assert.equal(stringifyJson({ id: 9007199254740993n, list: [1n, undefined, "x"], skip: undefined }), '{"id":9007199254740993,"list":[1,null,"x"]}');
    const value = { a: [1, "two", null, { b: true }], c: new Date(0), d: 1.25 };
    assert.equal(stringifyJson(value), JSON.stringify(value));
  });
});

describe("the example app", server, () => {
  let ada: Awaited<ReturnType<typeof signUp>>;
  let bob: Awaited<ReturnType<typeof signUp>>;
  let admin: Actions;

  before(async () => {
    ada = await signUp("ada");
    bob = await signUp("bob");
    const signedIn = await auth.signIn.email({
      email: process.env["ADMIN_EMAIL"] ?? "",
      password: process.env["ADMIN_PASSWORD"] ?? "",
    });
    assert.equal(signedIn.error, undefined, "the admin signs in");
    admin = createActions({ baseUrl, headers: { Authorization: `Bearer ${signedIn.data?.token}` } });
  });

  test("the auth client: a session for the bearer token, typed errors for bad credentials", async () => {
    const session = await createAuth({ baseUrl, headers: () => ({ Authorization: `Bearer ${"x".repeat(10)}` }) }).getSession();
    assert.deepEqual(session, { data: null, error: undefined }, "an unknown token is no session");
    const wrong = await auth.signIn.email({ email: "nobody@example.com", password: "not the password" });
    assert.ok(wrong.error instanceof ActionError);
    assert.equal(wrong.error.code, "INVALID_EMAIL_OR_PASSWORD");
    assert.equal(wrong.error.status, 401);
  });

  test("a browser's way: the session cookie, and CSRF wants the Origin", async () => {
    // A cookie jar around Node's fetch, which keeps none; a browser sends Origin by itself.
    const cookies = new Map<string, string>();
    const jar = async (url: string, init: RequestInit): Promise<Response> => {
      const headers = new Headers(init.headers);
      if (cookies.size > 0) headers.set("cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "));
      const response = await fetch(url, { ...init, headers });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ""] = line.split(";");
        const [name = "", value = ""] = pair.split("=");
        if (value === "") cookies.delete(name);
        else cookies.set(name, value);
      }
      return response;
    };
    const browser = { baseUrl, fetch: jar, headers: { Origin: baseUrl } };
    const email = `cy-${crypto.randomUUID()}@example.com`;
    const signedUp = await createAuth(browser).signUp.email({ name: "Cy", email, password: "a long enough password" });
    assert.equal(signedUp.error, undefined);
    assert.equal(cookies.size, 1, "sign-up set the session cookie");
    const session = await createAuth(browser).getSession();
    assert.equal(session.data?.user.email, email);

    const created = await createActions(browser).post.create({ title: "By cookie", body: "b" });
    assert.equal(created.error, undefined, JSON.stringify(created.error));
    const crossSite = await createActions({ baseUrl, fetch: jar }).post.create({ title: "No Origin", body: "b" });
    assert.equal(crossSite.error?.code, "FORBIDDEN", "a cookie-carrying write without an Origin is refused");
    const elsewhere = await createActions({ ...browser, headers: { Origin: "https://evil.example" } }).post.create({ title: "x", body: "b" });
    assert.equal(elsewhere.error?.code, "FORBIDDEN");

    const signedOut = await createAuth(browser).signOut();
    assert.deepEqual(signedOut, { data: { success: true }, error: undefined });
    const after = await createActions(browser).post.create({ title: "Signed out", body: "b" });
    assert.equal(after.error?.code, "UNAUTHORIZED");
  });

  test("a public action, and an authed one with its data", async () => {
    const created = await ada.actions.post.create({ title: "Hello from TypeScript", body: "typed" });
    assert.equal(created.error, undefined);
    assert.equal(created.data?.title, "Hello from TypeScript");
    assert.equal(String(created.data?.authorId), ada.id);
    const read = await anonymous.post.get.orThrow({ id: created.data.id });
    assert.deepEqual(read, created.data);
    const page = await anonymous.post.list({ limit: 100 });
    assert.ok(page.data?.items.some((post) => post.id === read.id));
    const defaults = await anonymous.post.list(); // no required field: the input may be left out
    assert.equal(defaults.error, undefined);
    assert.ok(defaults.data.items.length > 0 && defaults.data.items.length <= 20, "20 when absent");
  });

  test("an input error names its fields", async () => {
    const { data, error } = await ada.actions.post.create({ title: "   ", body: "x" });
    assert.equal(data, undefined);
    assert.ok(isInputError(error), "BAD_REQUEST");
    assert.equal(error.status, 400);
    assert.ok((error.fields["title"] ?? []).length > 0, JSON.stringify(error.fields));
    await assert.rejects(ada.actions.post.create.orThrow({ title: "", body: "x" }), (thrown: unknown) => isInputError(thrown));
  });

  test("401, 403 and 404 are typed errors", async () => {
    const unauthorized = await anonymous.post.create({ title: "t", body: "b" });
    assert.equal(unauthorized.error?.code, "UNAUTHORIZED");
    assert.equal(unauthorized.error?.status, 401);

    const post = await ada.actions.post.create.orThrow({ title: "Ada's", body: "mine" });
    const forbidden = await bob.actions.post.update({ id: post.id, title: "Bob's now" });
    assert.equal(forbidden.error?.code, "FORBIDDEN");
    assert.equal(forbidden.error?.status, 403);
    const notAdmin = await bob.actions.audit.list({});
    assert.equal(notAdmin.error?.code, "FORBIDDEN");

    const missing = await anonymous.post.get({ id: 999_999_999 });
    assert.equal(missing.error?.code, "NOT_FOUND");
    assert.equal(missing.error?.status, 404);
    assert.ok(isActionError(missing.error) && missing.error instanceof Error);
    await assert.rejects(anonymous.post.get.orThrow({ id: 999_999_999 }), { name: "ActionError", code: "NOT_FOUND", status: 404 });
  });

  test("an idempotent call replayed with the same key moves the money once", async () => {
    const from = await ada.actions.account.open.orThrow({ name: "Checking", initialDeposit: 1000 });
    const to = await bob.actions.account.open.orThrow({ name: "Savings", initialDeposit: 0 });
    const key = crypto.randomUUID();
    const first = await ada.actions.account.transfer.orThrow({ from: from.id, to: to.id, amount: 300 }, { idempotencyKey: key });
    const again = await ada.actions.account.transfer.orThrow({ from: from.id, to: to.id, amount: 300 }, { idempotencyKey: key });
    assert.deepEqual(again, first);
    assert.equal(first.from.balance, 700);
    assert.equal((await ada.actions.account.get.orThrow({ id: from.id })).balance, 700, "moved once");
    const otherInput = await ada.actions.account.transfer({ from: from.id, to: to.id, amount: 1 }, { idempotencyKey: key });
    assert.equal(otherInput.error?.code, "UNPROCESSABLE_CONTENT", "a key reused for another input is refused");
  });

  test("a balance above 2^53 round-trips exactly", async () => {
    const huge = 2n ** 53n + 1n; // 9007199254740993: a JavaScript number would read ...992
    const account = await ada.actions.account.open.orThrow({ name: "Vault", initialDeposit: huge });
    assert.equal(account.balance, huge);
    const read = await ada.actions.account.get.orThrow({ id: account.id });
    assert.equal(read.balance, huge);
    const other = await ada.actions.account.open.orThrow({ name: "Pocket", initialDeposit: huge });
    const moved = await ada.actions.account.transfer.orThrow({ from: account.id, to: other.id, amount: 2 });
    assert.deepEqual(moved.to, { id: other.id, balance: huge + 2n });
    // 2^53 - 1 is a safe integer: a plain number again.
    assert.deepEqual(moved.from, { id: account.id, balance: Number.MAX_SAFE_INTEGER });
  });

  test("a form action uploads a file, from fields or from FormData", async () => {
    const file = new File(["hello, world\n"], "hello.txt", { type: "text/plain" });
    const sent = await anonymous.contact.send({
      name: "Ada",
      email: "Ada@Example.com",
      message: "Please find attached",
      subscribe: true,
      topics: ["billing", "support"],
      attachment: file,
    });
    assert.equal(sent.error, undefined, JSON.stringify(sent.error));
    const form = new FormData();
    form.append("name", "Bob");
    form.append("email", "bob@example.com");
    form.append("message", "No file");
    const plain = await anonymous.contact.send.orThrow(form);

    const messages = await admin.contact.list.orThrow({ limit: 10 });
    const stored = messages.find((message) => message.id === sent.data?.id);
    assert.ok(stored, "the admin reads the message back");
    assert.equal(stored.attachmentName, "hello.txt");
    assert.equal(stored.attachmentType, "text/plain");
    assert.equal(stored.attachmentSize, file.size);
    assert.equal(stored.email, "ada@example.com");
    assert.equal(stored.subscribe, true);
    assert.deepEqual(JSON.parse(stored.topics), ["billing", "support"]);
    const bare = messages.find((message) => message.id === plain.id);
    assert.equal(bare?.attachmentName, null);
    assert.equal(bare?.subscribe, false);

    const invalid = await anonymous.contact.send({ name: "", email: "not an email", message: "x", subscribe: false, topics: [] });
    assert.ok(isInputError(invalid.error));
    assert.ok("email" in invalid.error.fields, JSON.stringify(invalid.error.fields));
  });
});

describe("failures without an answer in the server's shape", () => {
  const canned = (body: string, status: number, contentType = "text/html") =>
    createActions({ baseUrl: "http://server.test", fetch: async () => new Response(body, { status, headers: { "content-type": contentType } }) });

  test("a network failure is NETWORK_ERROR, never a throw", async () => {
    const unreachable = createActions({ baseUrl: "http://127.0.0.1:9" });
    const { data, error } = await unreachable.post.get({ id: 1 });
    assert.equal(data, undefined);
    assert.equal(error?.code, "NETWORK_ERROR");
    assert.equal(error?.status, 0);
    await assert.rejects(unreachable.post.get.orThrow({ id: 1 }), { code: "NETWORK_ERROR" });
  });

  test("an abort is ABORTED", async () => {
    const { error } = await anonymous.post.get({ id: 1 }, { signal: AbortSignal.abort() });
    assert.equal(error?.code, "ABORTED");
  });

  test("a non-JSON error answer takes its status's code; a non-JSON success is INVALID_RESPONSE", async () => {
    const gateway = await canned("<html>Bad gateway</html>", 502).post.get({ id: 1 });
    assert.equal(gateway.error?.code, "BAD_GATEWAY");
    assert.equal(gateway.error?.status, 502);
    const garbled = await canned("<html>ok</html>", 200).post.get({ id: 1 });
    assert.equal(garbled.error?.code, "INVALID_RESPONSE");
    assert.equal(garbled.error?.status, 200);
    const teapot = await canned("{}", 418, "application/json").post.get({ id: 1 });
    assert.equal(teapot.error?.code, "INVALID_RESPONSE", "a status without a code");
  });

  test("an error body's code, message, fields and request id reach the error", async () => {
    const body = '{"code":"INTERNAL_SERVER_ERROR","message":"internal server error","requestId":"r-1"}';
    const { error } = await canned(body, 500, "application/json").post.get({ id: 1 });
    assert.equal(error?.code, "INTERNAL_SERVER_ERROR");
    assert.equal(error?.message, "internal server error");
    assert.equal(error?.requestId, "r-1");
    assert.deepEqual(error?.fields, {});
  });

  test("a request that cannot be made is CLIENT_ERROR, never a throw", async () => {
    const loop: Record<string, unknown> = {};
    loop["self"] = loop;
    const { error } = await anonymous.post.get(loop as unknown as { id: number });
    assert.equal(error?.code, "CLIENT_ERROR");
  });

  test("what a call sends: JSON, cookies, the idempotency key, extra headers", async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const config = {
      baseUrl: "http://server.test/",
      headers: { "x-app": "1" },
      fetch: async (url: string, init: RequestInit) => {
        seen.push({ url, init });
        return new Response('{"ok":true}', { status: 200, headers: { "content-type": "application/json" } });
      },
    };
    const required = defineAction<{ n: bigint }, { ok: boolean }>(config, "x.charge", { idempotencyKey: "required" });
    assert.deepEqual(await required.orThrow({ n: 2n ** 60n }, { headers: { "x-call": "2" } }), { ok: true });
    await required({ n: 1n }, { idempotencyKey: "mine" });
    await createActions(config).post.get({ id: 1 });
    const [generated, given, none] = seen.map(({ url, init }) => ({ url, init, headers: new Headers(init.headers) }));
    assert.equal(generated?.url, "http://server.test/_actions/x.charge");
    assert.equal(generated?.init.method, "POST");
    assert.equal(generated?.init.credentials, "include");
    assert.equal(generated?.init.body, '{"n":1152921504606846976}');
    assert.equal(generated?.headers.get("content-type"), "application/json");
    assert.equal(generated?.headers.get("x-app"), "1");
    assert.equal(generated?.headers.get("x-call"), "2");
    assert.match(generated?.headers.get("idempotency-key") ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(given?.headers.get("idempotency-key"), "mine");
    assert.equal(none?.headers.get("idempotency-key"), null, "no key for an action that honours none");
  });
});
