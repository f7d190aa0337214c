// What the generated client lets an app write, and what it refuses: `tsc --strict` checks this
// file; each `@ts-expect-error` line must fail to compile, or tsc reports the directive unused.
// Never run.

import {
  actions,
  createActions,
  isActionError,
  isInputError,
  type ActionErrorCode,
  type AuditEvent,
  type Int64,
  type PostGetOutput,
} from "./actions.js";

/** Keeps values "used" for noUnusedLocals. */
function use(..._values: unknown[]): void {}

export async function calls(): Promise<void> {
  const { data, error } = await actions.post.get({ id: 1 });
  if (error) {
    const code: ActionErrorCode = error.code;
    const status: number = error.status;
    const messages: string[] | undefined = error.fields["title"];
    use(code, status, messages);
  } else {
    // `{ data, error }` is a discriminated union: no error, so data is there.
    const title: string = data.title;
    const id: Int64 = data.id;
    use(title, id);
  }

  // A 64-bit id may be a bigint, beyond 2^53.
  const post: PostGetOutput = await actions.post.get.orThrow({ id: 9007199254740993n });
  use(post);

  // Optional fields may be left out, and so may an input with no required field; a nullable
  // field may be null.
  await actions.post.list();
  await actions.post.list(undefined, { signal: AbortSignal.timeout(1000) });
  await actions.post.list({});
  await actions.post.list({ limit: 10, cursor: null });
  await actions.profile.save({ displayName: "Ada", bio: null });

  // A form action takes its fields (a file as a Blob) or FormData.
  await actions.contact.send({
    name: "Ada",
    email: "ada@example.com",
    message: "Hello",
    subscribe: false,
    topics: ["news"],
    attachment: new Blob(["hi"], { type: "text/plain" }),
  });
  await actions.contact.send(new FormData());

  // Per-call options.
  await actions.account.transfer(
    { from: 1, to: 2, amount: 100 },
    { idempotencyKey: crypto.randomUUID(), signal: AbortSignal.timeout(5000), headers: { "x-trace": "1" } },
  );

  // A configured client.
  const remote = createActions({
    baseUrl: "https://api.example.com",
    fetch: (input, init) => fetch(input, init),
    headers: () => ({ Authorization: "Bearer token" }),
  });
  await remote.post.get({ id: 1 });

  const failed = await actions.post.create({ title: "", body: "" });
  if (isInputError(failed.error)) {
    const code: "BAD_REQUEST" = failed.error.code;
    use(code, failed.error.fields);
  }
  if (isActionError(failed.error)) use(failed.error.message);
}

export async function refusals(): Promise<void> {
  // @ts-expect-error a wrong field type: a title is a string
  await actions.post.create({ title: 42, body: "x" });
  // @ts-expect-error a missing required field: body
  await actions.post.create({ title: "x" });
  // @ts-expect-error an input with a required field cannot be left out
  await actions.post.get();
  // @ts-expect-error an unknown action
  await actions.post.publish({ id: 1 });
  // @ts-expect-error an unknown namespace
  await actions.comment.create({});
  // @ts-expect-error an unknown field: inputs are closed
  await actions.post.get({ id: 1, slug: "x" });
  // @ts-expect-error a 64-bit integer is a number or a bigint, not a string
  await actions.post.get({ id: "1" });
  // @ts-expect-error an unknown option
  await actions.post.get({ id: 1 }, { retries: 3 });
  // @ts-expect-error a form action takes its fields or FormData, not a string
  await actions.contact.send("name=Ada");

  const result = await actions.post.get({ id: 1 });
  // @ts-expect-error data is undefined until the error is checked
  use(result.data.title);
  // @ts-expect-error orThrow resolves to the data itself
  use((await actions.post.get.orThrow({ id: 1 })).data);
  // @ts-expect-error a nullable output field is not a plain string
  const bio: string = (await actions.profile.get.orThrow({ userId: 1 })).bio;
  // @ts-expect-error error codes are a closed union
  const code: ActionErrorCode = "NOT_A_CODE";
  // @ts-expect-error an enum is a closed union of its values
  const outcome: AuditEvent["outcome"] = "archived";
  // @ts-expect-error baseUrl is a string
  createActions({ baseUrl: 3 });
  use(bio, code, outcome);
}
