// The account flows, driven by Better Auth's official client as browsers would drive them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browser, browserWith, linkOf, mailsTo, nextMail, param, uniqueEmail } from "./lib.mjs";

const PASSWORD = "correct horse battery";

async function signUp(name) {
  const email = uniqueEmail(name);
  const b = browser();
  const { data, error } = await b.client.signUp.email({ name, email, password: PASSWORD });
  assert.equal(error, null);
  assert.equal(data.user.email, email);
  assert.equal(typeof data.token, "string");
  return { b, email };
}

/** Verifies `email` through the mailed link, read from the development mailer's directory. */
async function verify(b, email) {
  const seen = (await mailsTo(email)).length;
  const sent = await b.client.sendVerificationEmail({ email });
  assert.deepEqual(sent.data, { status: true });
  const mail = await nextMail(email, seen);
  assert.equal(mail.subject, "Verify your email address");
  const token = param(linkOf(mail), "token");
  const verified = await b.client.verifyEmail({ query: { token } });
  assert.equal(verified.error, null);
  assert.equal(verified.data.status, true);
}

test("sign up, verify the address, sign in", async () => {
  const { b, email } = await signUp("Ada");
  const before = await b.client.getSession();
  assert.equal(before.data.user.email, email);
  assert.equal(before.data.user.emailVerified, false);
  await verify(b, email);
  assert.equal((await b.client.getSession()).data.user.emailVerified, true);

  const other = browser();
  const { data, error } = await other.client.signIn.email({ email, password: PASSWORD });
  assert.equal(error, null);
  assert.equal(data.redirect, false);
  assert.equal(data.user.emailVerified, true);
  const wrong = await browser().client.signIn.email({ email, password: "not the password" });
  assert.equal(wrong.error.status, 401);
  assert.equal(wrong.error.code, "INVALID_EMAIL_OR_PASSWORD");
});

test("change the password, keeping then revoking the other sessions", async () => {
  const { b: here, email } = await signUp("Bea");
  const there = browser();
  assert.equal((await there.client.signIn.email({ email, password: PASSWORD })).error, null);

  const kept = await here.client.changePassword({
    currentPassword: PASSWORD,
    newPassword: "second password",
    revokeOtherSessions: false,
  });
  assert.equal(kept.error, null);
  assert.equal(kept.data.user.email, email);
  assert.notEqual((await there.client.getSession()).data, null, "the other session stays");

  const wrong = await here.client.changePassword({ currentPassword: PASSWORD, newPassword: "third password" });
  assert.equal(wrong.error.status, 400);
  assert.equal(wrong.error.code, "INVALID_PASSWORD");

  const revoked = await here.client.changePassword({
    currentPassword: "second password",
    newPassword: "third password",
    revokeOtherSessions: true,
  });
  assert.equal(revoked.error, null);
  assert.equal((await there.client.getSession()).data, null, "the other session is revoked");
  assert.equal((await here.client.getSession()).data.user.email, email, "this one stays");
  const old = await browser().client.signIn.email({ email, password: PASSWORD });
  assert.equal(old.error.code, "INVALID_EMAIL_OR_PASSWORD");
  assert.equal((await browser().client.signIn.email({ email, password: "third password" })).error, null);
});

test("reset a forgotten password", async () => {
  const { b, email } = await signUp("Cy");
  const oldCookies = new Map(b.jar);
  const anon = browser();
  const seen = (await mailsTo(email)).length;
  const asked = await anon.client.requestPasswordReset({ email, redirectTo: "/reset" });
  assert.equal(asked.error, null);
  assert.equal(asked.data.status, true);
  const unknown = await anon.client.requestPasswordReset({ email: uniqueEmail("nobody"), redirectTo: "/reset" });
  assert.deepEqual(unknown.data, asked.data, "the same answer for an unknown address");

  const mail = await nextMail(email, seen);
  assert.equal(mail.subject, "Reset your password");
  const link = linkOf(mail);
  assert.ok(link.startsWith(`${BASE_URL}/api/auth/reset-password/`), link);
  const followed = await anon.fetch(link);
  assert.equal(followed.status, 302);
  const location = followed.headers.get("location");
  assert.ok(location.startsWith(`${BASE_URL}/reset?token=`), location);
  const token = param(location, "token");

  const reset = await anon.client.resetPassword({ newPassword: "a new password", token });
  assert.equal(reset.error, null);
  assert.deepEqual(reset.data, { status: true });
  assert.equal((await browserWith(oldCookies).client.getSession()).data, null, "a replayed old cookie is refused");
  assert.equal((await b.client.getSession()).data, null);
  const again = await anon.client.resetPassword({ newPassword: "another password", token });
  assert.equal(again.error.status, 400);
  assert.equal(again.error.code, "INVALID_TOKEN");
  assert.equal((await browser().client.signIn.email({ email, password: "a new password" })).error, null);
});

test("update the user and change the email", async () => {
  const { b, email } = await signUp("Di");
  const updated = await b.client.updateUser({ name: "Di Prince", image: "https://img.example/di.png" });
  assert.equal(updated.error, null);
  assert.equal(updated.data.status, true);
  const { user } = (await b.client.getSession()).data;
  assert.equal(user.name, "Di Prince");
  assert.equal(user.image, "https://img.example/di.png");
  const refused = await b.client.updateUser({ email: uniqueEmail("other") });
  assert.equal(refused.error.status, 400);
  assert.equal(refused.error.code, "EMAIL_CAN_NOT_BE_UPDATED");

  await verify(b, email);
  const newEmail = uniqueEmail("di-new");
  const changed = await b.client.changeEmail({ newEmail, callbackURL: "/settings" });
  assert.equal(changed.error, null);
  assert.equal(changed.data.status, true);
  assert.equal((await b.client.getSession()).data.user.email, email, "unchanged until confirmed");
  const mail = await nextMail(newEmail);
  assert.equal(mail.subject, "Confirm the change of your email address");
  const confirmed = await b.fetch(linkOf(mail));
  assert.equal(confirmed.status, 302);
  assert.equal(confirmed.headers.get("location"), `${BASE_URL}/settings`);
  const after = (await b.client.getSession()).data.user;
  assert.equal(after.email, newEmail);
  assert.equal(after.emailVerified, true);
  assert.equal((await browser().client.signIn.email({ email: newEmail, password: PASSWORD })).error, null);
});

test("delete the account", async () => {
  const { b, email } = await signUp("Ed");
  const oldCookies = new Map(b.jar);
  const other = browser();
  assert.equal((await other.client.signIn.email({ email, password: PASSWORD })).error, null);
  const wrong = await b.client.deleteUser({ password: "not the password" });
  assert.equal(wrong.error.status, 400);
  assert.equal(wrong.error.code, "INVALID_PASSWORD");
  const deleted = await b.client.deleteUser({ password: PASSWORD });
  assert.equal(deleted.error, null);
  assert.deepEqual(deleted.data, { success: true, message: "User deleted" });
  assert.equal((await browserWith(oldCookies).client.getSession()).data, null, "a replayed old cookie is refused");
  assert.equal((await other.client.getSession()).data, null, "every session went with the account");
  const gone = await browser().client.signIn.email({ email, password: PASSWORD });
  assert.equal(gone.error.status, 401);
});
