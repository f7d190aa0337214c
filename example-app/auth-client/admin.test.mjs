// The admin routes, driven by Better Auth's official client with its admin plugin, as an
// operator's page would. .ci/auth-client.sh creates the admin (ADMIN_EMAIL, ADMIN_PASSWORD)
// with `example-app create-admin` before the app starts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { adminClient } from "better-auth/client/plugins";
import { browser, uniqueEmail } from "./lib.mjs";

const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? "admin@example.com";
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
const PASSWORD = "correct horse battery";

async function signedInAdmin() {
  assert.ok(ADMIN_PASSWORD, "ADMIN_PASSWORD is set by .ci/auth-client.sh");
  const b = browser([adminClient()]);
  const { data, error } = await b.client.signIn.email({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  assert.equal(error, null);
  assert.equal(data.user.role, "admin");
  return b;
}

/** A user an admin made, and a browser signed in as them. */
async function createdUser(admin, name) {
  const email = uniqueEmail(name);
  const created = await admin.client.admin.createUser({ email, password: PASSWORD, name, role: "user" });
  assert.equal(created.error, null);
  assert.equal(created.data.user.email, email);
  assert.equal(created.data.user.role, "user");
  const b = browser([adminClient()]);
  assert.equal((await b.client.signIn.email({ email, password: PASSWORD })).error, null);
  return { id: created.data.user.id, email, b };
}

test("an admin lists, reads, creates and updates users", async () => {
  const admin = await signedInAdmin();
  const { id, email } = await createdUser(admin, "Cleo");

  const listed = await admin.client.admin.listUsers({
    query: { searchValue: email, searchField: "email", limit: 10 },
  });
  assert.equal(listed.error, null);
  assert.equal(listed.data.total, 1);
  assert.deepEqual(listed.data.users.map((u) => u.email), [email]);

  const paged = await admin.client.admin.listUsers({ query: { limit: 1, offset: 0, sortBy: "createdAt" } });
  assert.equal(paged.error, null);
  assert.equal(paged.data.users.length, 1);
  assert.ok(paged.data.total >= 2);

  const read = await admin.client.admin.getUser({ query: { id } });
  assert.equal(read.error, null);
  assert.equal(read.data.email, email);

  const updated = await admin.client.admin.updateUser({ userId: id, data: { name: "Cleo B." } });
  assert.equal(updated.error, null);
  assert.equal(updated.data.name, "Cleo B.");

  const promoted = await admin.client.admin.setRole({ userId: id, role: "admin" });
  assert.equal(promoted.error, null);
  assert.equal(promoted.data.user.role, "admin");
  assert.equal((await admin.client.admin.setRole({ userId: id, role: "user" })).data.user.role, "user");

  const can = await admin.client.admin.hasPermission({ permissions: { user: ["list"] } });
  assert.equal(can.error, null);
  assert.equal(can.data.success, true);
});

test("a ban ends the user's sessions and refuses their sign-in until lifted", async () => {
  const admin = await signedInAdmin();
  const { id, email, b } = await createdUser(admin, "Dora");

  const banned = await admin.client.admin.banUser({ userId: id, banReason: "spam", banExpiresIn: 3600 });
  assert.equal(banned.error, null);
  assert.equal(banned.data.user.banned, true);
  assert.equal(banned.data.user.banReason, "spam");
  assert.equal((await b.client.getSession()).data, null, "the old session is refused");
  const refused = await browser().client.signIn.email({ email, password: PASSWORD });
  assert.equal(refused.error.status, 403);
  assert.equal(refused.error.code, "BANNED_USER");

  const lifted = await admin.client.admin.unbanUser({ userId: id });
  assert.equal(lifted.error, null);
  assert.equal(lifted.data.user.banned, false);
  assert.equal((await browser().client.signIn.email({ email, password: PASSWORD })).error, null);
});

test("an admin lists and revokes sessions, sets a password, removes a user", async () => {
  const admin = await signedInAdmin();
  const { id, email, b } = await createdUser(admin, "Edda");
  const second = browser();
  assert.equal((await second.client.signIn.email({ email, password: PASSWORD })).error, null);

  const listed = await admin.client.admin.listUserSessions({ userId: id });
  assert.equal(listed.error, null);
  assert.equal(listed.data.sessions.length, 2);
  const one = await admin.client.admin.revokeUserSession({ sessionToken: String(listed.data.sessions[0].id) });
  assert.equal(one.error, null);
  assert.equal(one.data.success, true);
  assert.equal((await admin.client.admin.listUserSessions({ userId: id })).data.sessions.length, 1);

  const all = await admin.client.admin.revokeUserSessions({ userId: id });
  assert.equal(all.data.success, true);
  assert.equal((await b.client.getSession()).data, null);
  assert.equal((await second.client.getSession()).data, null);

  const reset = await admin.client.admin.setUserPassword({ userId: id, newPassword: "an admin's new password" });
  assert.equal(reset.error, null);
  assert.equal(reset.data.status, true);
  assert.equal((await browser().client.signIn.email({ email, password: PASSWORD })).error.code, "INVALID_EMAIL_OR_PASSWORD");
  const back = browser();
  assert.equal((await back.client.signIn.email({ email, password: "an admin's new password" })).error, null);

  const removed = await admin.client.admin.removeUser({ userId: id });
  assert.equal(removed.error, null);
  assert.equal(removed.data.success, true);
  assert.equal((await back.client.getSession()).data, null, "a removed user's session is gone");
  assert.equal((await admin.client.admin.getUser({ query: { id } })).error.status, 404);
});

test("everyone else is refused, and the last admin stays", async () => {
  const admin = await signedInAdmin();
  const { b } = await createdUser(admin, "Fay");
  const refused = await b.client.admin.listUsers({ query: { limit: 5 } });
  assert.equal(refused.error.status, 403);
  assert.equal(refused.error.code, "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS");
  const cannot = await b.client.admin.hasPermission({ permissions: { user: ["list"] } });
  assert.equal(cannot.data.success, false);

  const me = (await admin.client.getSession()).data.user;
  const demoted = await admin.client.admin.setRole({ userId: me.id, role: "user" });
  assert.equal(demoted.error.status, 400);
  assert.equal(demoted.error.code, "LAST_ADMIN");
  assert.equal((await admin.client.getSession()).data.user.role, "admin");
});
