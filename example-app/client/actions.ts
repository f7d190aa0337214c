// actions.ts: a typed client of this server's actions, written by actions-runtime from the
// server's registry (`<app> client --lang ts`, or `actions_runtime::client::typescript`).
// Do not edit: regenerate it. How to use it: actions-runtime's guide, docs/clients.md.

/** A code the server answers a failed call with (Astro's `ActionError` codes). */
export type ServerErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "PAYMENT_REQUIRED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "NOT_ACCEPTABLE"
  | "PROXY_AUTHENTICATION_REQUIRED"
  | "REQUEST_TIMEOUT"
  | "CONFLICT"
  | "GONE"
  | "LENGTH_REQUIRED"
  | "PRECONDITION_FAILED"
  | "CONTENT_TOO_LARGE"
  | "URI_TOO_LONG"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RANGE_NOT_SATISFIABLE"
  | "EXPECTATION_FAILED"
  | "MISDIRECTED_REQUEST"
  | "UNPROCESSABLE_CONTENT"
  | "LOCKED"
  | "FAILED_DEPENDENCY"
  | "TOO_EARLY"
  | "UPGRADE_REQUIRED"
  | "PRECONDITION_REQUIRED"
  | "TOO_MANY_REQUESTS"
  | "REQUEST_HEADER_FIELDS_TOO_LARGE"
  | "UNAVAILABLE_FOR_LEGAL_REASONS"
  | "INTERNAL_SERVER_ERROR"
  | "NOT_IMPLEMENTED"
  | "BAD_GATEWAY"
  | "SERVICE_UNAVAILABLE"
  | "GATEWAY_TIMEOUT"
  | "HTTP_VERSION_NOT_SUPPORTED"
  | "VARIANT_ALSO_NEGOTIATES"
  | "INSUFFICIENT_STORAGE"
  | "LOOP_DETECTED"
  | "NETWORK_AUTHENTICATION_REQUIRED";

/** The HTTP status of each code. */
export const ERROR_STATUS: Readonly<Record<ServerErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  PROXY_AUTHENTICATION_REQUIRED: 407,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  GONE: 410,
  LENGTH_REQUIRED: 411,
  PRECONDITION_FAILED: 412,
  CONTENT_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  EXPECTATION_FAILED: 417,
  MISDIRECTED_REQUEST: 421,
  UNPROCESSABLE_CONTENT: 422,
  LOCKED: 423,
  FAILED_DEPENDENCY: 424,
  TOO_EARLY: 425,
  UPGRADE_REQUIRED: 426,
  PRECONDITION_REQUIRED: 428,
  TOO_MANY_REQUESTS: 429,
  REQUEST_HEADER_FIELDS_TOO_LARGE: 431,
  UNAVAILABLE_FOR_LEGAL_REASONS: 451,
  INTERNAL_SERVER_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
  HTTP_VERSION_NOT_SUPPORTED: 505,
  VARIANT_ALSO_NEGOTIATES: 506,
  INSUFFICIENT_STORAGE: 507,
  LOOP_DETECTED: 508,
  NETWORK_AUTHENTICATION_REQUIRED: 511,
};

// ---------------------------------------------------------------------------------------------
// The client runtime: the same for every app.
// ---------------------------------------------------------------------------------------------

/** The error codes of the client itself, for calls that got no answer in the server's shape. */
export type ClientErrorCode =
  /** `fetch` failed: the server could not be reached (status 0). */
  | "NETWORK_ERROR"
  /** The call's `signal` aborted it (status 0). */
  | "ABORTED"
  /** The answer was not what the protocol says (not JSON, or no error body): its status. */
  | "INVALID_RESPONSE"
  /** The request could not be made: the input did not serialize, a header was refused (status 0). */
  | "CLIENT_ERROR";

/** Every code an {@link ActionError} from an action call can carry. */
export type ActionErrorCode = ServerErrorCode | ClientErrorCode;

/**
 * An integer the server declares as 64 bits. On the wire it is a JSON number; the client reads
 * a value beyond `Number.MAX_SAFE_INTEGER` (2^53 - 1) as a `bigint`, exactly, and writes a
 * `bigint` as the same digits, so no digit is lost either way.
 */
export type Int64 = number | bigint;

/** Input errors by the field's full dotted path (`title`, `items.2.name`), each with its messages. */
export type FieldErrors = Record<string, string[]>;

/** A failed call: what the server answered (`code`, `message`, `fields`), or what went wrong on the way. */
export class ActionError<Code extends string = ActionErrorCode> extends Error {
  /** `"NOT_FOUND"`, `"UNAUTHORIZED"`, …, or a {@link ClientErrorCode}. */
  readonly code: Code;
  /** The HTTP status; 0 when there was no answer. */
  readonly status: number;
  /** The failing input fields (for `BAD_REQUEST`); empty otherwise. */
  readonly fields: FieldErrors;
  /** On server errors (5xx): the id under which the server logged the details. */
  readonly requestId: string | undefined;

  constructor(init: {
    code: Code;
    status: number;
    message: string;
    fields?: FieldErrors;
    requestId?: string;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ActionError";
    this.code = init.code;
    this.status = init.status;
    this.fields = init.fields ?? {};
    this.requestId = init.requestId;
  }
}

/** Whether `error` is an {@link ActionError}. */
export function isActionError(error: unknown): error is ActionError<string> {
  return error instanceof ActionError;
}

/** Whether the server refused the input (`BAD_REQUEST`); `error.fields` names the failing fields. */
export function isInputError(error: unknown): error is ActionError<"BAD_REQUEST"> {
  return isActionError(error) && error.code === "BAD_REQUEST";
}

/** What a non-throwing call resolves to: exactly one of `data` and `error` is set. */
export type ActionResult<T, E = ActionError> =
  | { data: T; error: undefined }
  | { data: undefined; error: E };

/** How a client reaches the server. */
export interface ClientConfig {
  /** The server's origin, `"https://api.example.com"`; `""` (the default) is the page's own. */
  baseUrl?: string;
  /** The `fetch` to call (a test's, a cookie jar's); the global one by default. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Headers sent with every call (an `Authorization: Bearer …`); a function is asked per call. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** Whether cookies go along: `"include"` (the default) sends the session cookie cross-origin too. */
  credentials?: RequestCredentials;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call; it then fails with `ABORTED`. */
  signal?: AbortSignal;
  /**
   * Sent as `Idempotency-Key` to an action that honours one: a retry with the same key gets the
   * first answer again. An action that requires a key gets `crypto.randomUUID()` when none is given.
   */
  idempotencyKey?: string;
  /** Extra headers for this call. */
  headers?: HeadersInit;
}

/** A call's arguments: the input may be left out when none of its fields is required (`{}` fits it). */
export type ActionArgs<Input> = {} extends Input
  ? [input?: Input, options?: CallOptions]
  : [input: Input, options?: CallOptions];

/** An action: call it for `{ data, error }`, or `.orThrow(…)` for the data or a thrown {@link ActionError}. */
export interface Action<Input, Output> {
  (...args: ActionArgs<Input>): Promise<ActionResult<Output>>;
  /** The same call; resolves to the data, rejects with an {@link ActionError}. */
  orThrow(...args: ActionArgs<Input>): Promise<Output>;
  /** The wire name: `POST /_actions/<actionName>`. */
  readonly actionName: string;
}

/** What the manifest says about how to call an action. */
export interface ActionSpec {
  /** `accept = "form"`: the body is a form. */
  form?: boolean;
  /** Whether the action honours an `Idempotency-Key`. */
  idempotencyKey?: "optional" | "required";
}

/** Parses JSON as `JSON.parse` does, except that an integer literal beyond `Number.MAX_SAFE_INTEGER` becomes an exact `bigint`. */
export function parseJson(text: string): unknown {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at offset ${at}`);
  };
  const space = (): void => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      at += 1;
    }
  };
  const token = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (match === null) return undefined;
    at = pattern.lastIndex;
    return match[0];
  };
  const string = (): string => JSON.parse(token(JSON_STRING) ?? fail()) as string;
  const value = (): unknown => {
    space();
    const c = text[at];
    if (c === "{") {
      at += 1;
      const object: Record<string, unknown> = {};
      space();
      if (text[at] === "}") {
        at += 1;
        return object;
      }
      for (;;) {
        space();
        const key = string();
        space();
        if (text[at] !== ":") fail();
        at += 1;
        // An own property even for "__proto__", as JSON.parse makes it.
        Object.defineProperty(object, key, {
          value: value(),
          writable: true,
          enumerable: true,
          configurable: true,
        });
        space();
        if (text[at] === ",") {
          at += 1;
        } else if (text[at] === "}") {
          at += 1;
          return object;
        } else {
          fail();
        }
      }
    }
    if (c === "[") {
      at += 1;
      const array: unknown[] = [];
      space();
      if (text[at] === "]") {
        at += 1;
        return array;
      }
      for (;;) {
        array.push(value());
        space();
        if (text[at] === ",") {
          at += 1;
        } else if (text[at] === "]") {
          at += 1;
          return array;
        } else {
          fail();
        }
      }
    }
    if (c === '"') return string();
    const literal = token(JSON_LITERAL);
    if (literal === undefined) return fail();
    if (literal === "true") return true;
    if (literal === "false") return false;
    if (literal === "null") return null;
    const number = Number(literal);
    return /^-?\d+$/.test(literal) && !Number.isSafeInteger(number) ? BigInt(literal) : number;
  };
  const result = value();
  space();
  if (at !== text.length) fail();
  return result;
}

const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const JSON_LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Writes JSON as `JSON.stringify` does, except that a `bigint` is written as its digits (a JSON number). */
export function stringifyJson(value: unknown): string {
  return write(value) ?? "null";
}

function write(value: unknown): string | undefined {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return write(toJSON.call(value));
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? "null").join(",")}]`;
  const members: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const text = write(item);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(",")}}`;
}

/**
 * A form action's input as the fields a browser's form would send: nested objects as dotted
 * keys (`author.email`), arrays as the key repeated, `true`/`false` as text, files as files;
 * `null` and `undefined` are left out.
 */
export function toFormData(input: unknown): FormData {
  const form = new FormData();
  const add = (key: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (value instanceof Blob) {
      form.append(key, value);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) =>
        item !== null && typeof item === "object" && !(item instanceof Blob)
          ? add(`${key}.${index}`, item)
          : add(key, item),
      );
    } else if (typeof value === "object") {
      for (const [name, item] of Object.entries(value)) add(key === "" ? name : `${key}.${name}`, item);
    } else {
      form.append(key, String(value));
    }
  };
  add("", input);
  return form;
}

/** The server's code for an HTTP status, if it has one. */
function codeOfStatus(status: number): ServerErrorCode | undefined {
  return (Object.keys(ERROR_STATUS) as ServerErrorCode[]).find((code) => ERROR_STATUS[code] === status);
}

function isServerErrorCode(code: string): code is ServerErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_STATUS, code);
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** One request, every failure an {@link ActionError}: the parsed body of a 2xx answer, `null` for 204. */
async function request<Code extends string>(
  config: ClientConfig,
  path: string,
  body: BodyInit | undefined,
  headers: Headers,
  signal: AbortSignal | undefined,
  codeOf: (status: number, code: unknown) => Code | ClientErrorCode,
  method: "POST" | "GET" = "POST",
): Promise<unknown> {
  const url = `${(config.baseUrl ?? "").replace(/\/+$/, "")}${path}`;
  const fetcher = config.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  const unreachable = (cause: unknown): ActionError<ClientErrorCode> =>
    signal?.aborted
      ? new ActionError({ code: "ABORTED", status: 0, message: "the call was aborted", cause })
      : new ActionError({ code: "NETWORK_ERROR", status: 0, message: `${path}: ${describe(cause)}`, cause });
  let response: Response;
  let text: string;
  try {
    response = await fetcher(url, {
      method,
      headers,
      body: body ?? null,
      credentials: config.credentials ?? "include",
      signal: signal ?? null,
    });
    text = await response.text();
  } catch (cause) {
    throw unreachable(cause);
  }
  const { status } = response;
  if (status === 204) return null;
  let parsed: unknown;
  let json = true;
  try {
    parsed = parseJson(text);
  } catch {
    json = false;
  }
  if (response.ok) {
    if (json) return parsed;
    throw new ActionError({ code: "INVALID_RESPONSE", status, message: `${path}: the answer is not JSON` });
  }
  const error = json && typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const message = typeof error["message"] === "string" ? error["message"] : `${path} answered ${status}`;
  const fields = typeof error["fields"] === "object" && error["fields"] !== null ? (error["fields"] as FieldErrors) : {};
  const requestId = typeof error["requestId"] === "string" ? error["requestId"] : undefined;
  throw new ActionError({ code: codeOf(status, error["code"]), status, message, fields, ...(requestId === undefined ? {} : { requestId }) });
}

/** An action's code: the server's, else the one of its status. */
function actionCode(status: number, code: unknown): ActionErrorCode {
  if (typeof code === "string" && isServerErrorCode(code)) return code;
  return codeOfStatus(status) ?? "INVALID_RESPONSE";
}

async function headersOf(config: ClientConfig, extra: HeadersInit | undefined): Promise<Headers> {
  const base = typeof config.headers === "function" ? await config.headers() : config.headers;
  const headers = new Headers(base);
  new Headers(extra).forEach((value, name) => headers.set(name, value));
  headers.set("Accept", "application/json");
  return headers;
}

/** `{ data }` for a value, `{ error }` for anything thrown (never a throw). */
async function settle<T, Code extends string>(run: () => Promise<T>): Promise<ActionResult<T, ActionError<Code | "CLIENT_ERROR">>> {
  try {
    return { data: await run(), error: undefined };
  } catch (error) {
    if (isActionError(error)) return { data: undefined, error: error as ActionError<Code> };
    return {
      data: undefined,
      error: new ActionError({ code: "CLIENT_ERROR", status: 0, message: describe(error), cause: error }),
    };
  }
}

/** An action of this client's server by its wire name: what `createActions` builds each of its actions with. */
export function defineAction<Input, Output>(config: ClientConfig, name: string, spec: ActionSpec): Action<Input, Output> {
  // Left out, the input is `{}`: every field absent.
  const orThrow = async (input: Input | undefined, options: CallOptions = {}): Promise<Output> => {
    const headers = await headersOf(config, options.headers);
    let body: BodyInit;
    if (spec.form) {
      body = input instanceof FormData ? input : toFormData(input ?? {});
    } else {
      body = stringifyJson(input ?? {});
      headers.set("Content-Type", "application/json");
    }
    const key = options.idempotencyKey ?? (spec.idempotencyKey === "required" ? crypto.randomUUID() : undefined);
    if (key !== undefined && spec.idempotencyKey !== undefined) headers.set("Idempotency-Key", key);
    return (await request(config, `/_actions/${name}`, body, headers, options.signal, actionCode)) as Output;
  };
  const call = (input?: Input, options?: CallOptions): Promise<ActionResult<Output>> =>
    settle<Output, ActionErrorCode>(() => orThrow(input, options));
  return Object.assign(call, { orThrow, actionName: name }) as Action<Input, Output>;
}

// ---------------------------------------------------------------------------------------------
// Accounts: Better Auth's email and password API at /api/auth (servers with accounts enabled).
// ---------------------------------------------------------------------------------------------

/** The signed-in user, as the account routes answer it (ids are strings, as in Better Auth). */
export interface AuthUser {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  image: string | null;
  createdAt: string;
  updatedAt: string;
  role: string;
}

/** A session, as `getSession` answers it; `token` is the bearer token of the request's own session. */
export interface AuthSession {
  id: string;
  userId: string;
  token: string;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  ipAddress: string | null;
  userAgent: string | null;
}

/** An account route's failure: Better Auth's codes (`INVALID_EMAIL_OR_PASSWORD`, `USER_ALREADY_EXISTS`, …). */
export type AuthError = ActionError<string>;

/** Better Auth's client, for these routes: `auth.signIn.email({ email, password })` and the rest. */
export function createAuth(config: ClientConfig = {}) {
  const route = <T>(path: string, body: object | undefined, options: CallOptions = {}) =>
    settle<T, string>(async () => {
      const headers = await headersOf(config, options.headers);
      if (body !== undefined) headers.set("Content-Type", "application/json");
      const answer = await request(
        config,
        `/api/auth/${path}`,
        body === undefined ? undefined : stringifyJson(body),
        headers,
        options.signal,
        (status, code) => (typeof code === "string" ? code : codeOfStatus(status) ?? "INVALID_RESPONSE"),
        body === undefined ? "GET" : "POST",
      );
      return answer as T;
    });
  return {
    signUp: {
      /** Creates an account and signs it in; `token` works as `Authorization: Bearer <token>`. */
      email: (input: { name: string; email: string; password: string; image?: string; rememberMe?: boolean }, options?: CallOptions) =>
        route<{ token: string | null; user: AuthUser }>("sign-up/email", input, options),
    },
    signIn: {
      /** Signs in; sets the session cookie and answers the token too. */
      email: (input: { email: string; password: string; rememberMe?: boolean }, options?: CallOptions) =>
        route<{ redirect: boolean; token: string; user: AuthUser }>("sign-in/email", input, options),
    },
    /** Ends the session. */
    signOut: (options?: CallOptions) => route<{ success: boolean }>("sign-out", {}, options),
    /** The session and its user, or `null` when signed out. */
    getSession: (options?: CallOptions) =>
      route<{ session: AuthSession; user: AuthUser } | null>("get-session", undefined, options),
  };
}

/** The account routes, by name: `Auth["signIn"]["email"]`. */
export type Auth = ReturnType<typeof createAuth>;

/** The account client on the page's own origin. */
export const auth: Auth = createAuth();

// ---------------------------------------------------------------------------------------------
// This server's actions: their inputs and outputs.
// ---------------------------------------------------------------------------------------------

// account.get

/** Names one account. */
export interface AccountId {
  id: Int64;
}

export type AccountGetInput = AccountId;

/** An account, as stored. */
export interface Account {
  /** Integer cents, never negative. */
  balance: Int64;
  id: Int64;
  name: string;
  ownerId: Int64;
}

export type AccountGetOutput = Account;

// account.mine

/** The signed-in user's accounts (none asked for: the session names the owner). */
export type AccountMineInput = Record<string, never>;

/** The signed-in user's accounts, oldest first. */
export interface AccountList {
  items: Account[];
}

export type AccountMineOutput = AccountList;

// account.open

/**
 * A new account: its name from the request; owner and balance set by the server, the
 * balance from `initialDeposit`.
 */
export interface OpenAccount {
  /** Integer cents, zero or more. */
  initialDeposit: Int64;
  /** 1 to 100 characters (the column's `#[max_length]`), trimmed. */
  name: string;
}

export type AccountOpenInput = OpenAccount;

export type AccountOpenOutput = Account;

// account.transfer

/** Moves money. */
export interface Transfer {
  /** Integer cents, more than zero. */
  amount: Int64;
  from: Int64;
  to: Int64;
}

export type AccountTransferInput = Transfer;

/** Both balances after a transfer. */
export interface Transferred {
  from: Balance;
  to: Balance;
}

export type AccountTransferOutput = Transferred;

/** An account's balance after a transfer. */
export interface Balance {
  balance: Int64;
  id: Int64;
}

// audit.list

/** A page request. */
export interface ListAudit {
  /** The `next` of the previous page. */
  cursor?: string | null;
  /** 1 to 100; 50 when absent. */
  limit?: number | null;
}

export type AuditListInput = ListAudit;

/** One page of audit events, newest first. */
export interface AuditPage {
  items: AuditEvent[];
  /** Pass as `cursor` for the next page; `null` on the last one. */
  next: string | null;
}

export type AuditListOutput = AuditPage;

/** One event of the audit log, as [`audit_events`] reads it. */
export interface AuditEvent {
  /**
   * What: an action's wire name (`account.transfer`) or an authentication event
   * (`auth.sign_in`, `auth.sign_out`, `auth.sign_up`, `auth.change_password`).
   */
  action: string;
  /** Who: the signed-in user's id, or `null` when nobody was signed in. */
  actorId: Int64 | null;
  /** The error code of a failure or a denial. */
  code: string | null;
  /** Increases with each event written. */
  id: Int64;
  /** The input, secrets redacted; `null` when it never decoded. */
  input: unknown;
  /** When, in UTC. */
  occurredAt: string;
  /** How it ended. */
  outcome: AuditOutcome;
  /** The request, as in its `x-request-id` header and the logs. */
  requestId: string;
}

/** How a call ended. */
export type AuditOutcome = "success" | "failure" | "denied" | "replayed";

// contact.list

/** How many messages to list. */
export interface ListMessages {
  /** 1 to 100; 50 when absent. */
  limit?: number | null;
}

export type ContactListInput = ListMessages;

export type ContactListOutput = ContactMessage[];

/** A stored contact message. */
export interface ContactMessage {
  attachmentName: string | null;
  attachmentSize: Int64 | null;
  attachmentType: string | null;
  createdAt: string;
  email: string;
  id: Int64;
  message: string;
  name: string;
  subscribe: boolean;
  topics: string;
}

// contact.send

/**
 * The fields of the contact form, as a browser sends them. Name, email, message and the
 * newsletter box are columns; the topics and the file are stored by the handler.
 */
export interface ContactForm {
  /** A file input, optional. */
  attachment?: Blob | null;
  /** An email address, stored lower case. */
  email: string;
  /** 1 to 5,000 characters, trimmed. */
  message: string;
  /** 1 to 100 characters, trimmed. */
  name: string;
  /** A checkbox: absent when unchecked. */
  subscribe: boolean;
  /**
   * A multi-select: one field per chosen topic, at most 10. Not the `topics` column, which
   * the handler fills with these as a JSON array, so the Rust name differs.
   */
  topics: string[];
}

export type ContactSendInput = ContactForm;

/** The stored message's id. */
export interface MessageReceived {
  id: Int64;
}

export type ContactSendOutput = MessageReceived;

// post.create

/** A new post: title and body from the request; author and times from the server. */
export interface CreatePost {
  /** At most 10,000 characters. */
  body: string;
  /** 1 to 200 characters (the column's `#[max_length]`), trimmed. */
  title: string;
}

export type PostCreateInput = CreatePost;

/** A post, as stored. */
export interface Post {
  authorId: Int64;
  body: string;
  createdAt: string;
  id: Int64;
  title: string;
  updatedAt: string;
}

export type PostCreateOutput = Post;

// post.delete

/** Names one post. */
export interface PostId {
  id: Int64;
}

export type PostDeleteInput = PostId;

/** What a deletion removed. */
export interface Deleted {
  id: Int64;
}

export type PostDeleteOutput = Deleted;

// post.get

export type PostGetInput = PostId;

export type PostGetOutput = Post;

// post.list

/** A page request. */
export interface ListPosts {
  /** The `next` of the previous page. */
  cursor?: string | null;
  /** 1 to 100; 20 when absent. */
  limit?: number | null;
  /** Matches titles containing this text, case-insensitively; `%` and `_` are literal. */
  q?: string | null;
}

export type PostListInput = ListPosts;

/** One page of posts, newest first. */
export interface PostPage {
  items: Post[];
  /** Pass as `cursor` for the next page; `null` on the last one. */
  next: string | null;
}

export type PostListOutput = PostPage;

// post.update

/** A patch of a post: only what is sent changes. */
export interface UpdatePost {
  body?: string;
  id: Int64;
  title?: string;
}

export type PostUpdateInput = UpdatePost;

export type PostUpdateOutput = Post;

// profile.get

/** Whose profile to read. */
export interface ProfileOf {
  userId: Int64;
}

export type ProfileGetInput = ProfileOf;

/** A profile, as stored. */
export interface Profile {
  bio: string | null;
  displayName: string;
  updatedAt: string;
  userId: Int64;
  website: string | null;
}

export type ProfileGetOutput = Profile;

// profile.save

/** The profile as the user writes it: whose and when are the server's. */
export interface SaveProfile {
  /** At most 2,000 characters; absent or `null` clears it. */
  bio?: string | null;
  /** 1 to 100 characters, trimmed. */
  displayName: string;
  /** An http(s) URL of at most 200 characters; absent or `null` clears it. */
  website?: string | null;
}

export type ProfileSaveInput = SaveProfile;

export type ProfileSaveOutput = Profile;

// ---------------------------------------------------------------------------------------------
// The client.
// ---------------------------------------------------------------------------------------------

/** This server's actions, called through `config`: `createActions({ baseUrl, fetch, headers })`. */
export function createActions(config: ClientConfig = {}) {
  return {
    account: {
      /** `POST /_actions/account.get` · signed in · `account:read` on the loaded resource */
      get: defineAction<AccountGetInput, AccountGetOutput>(config, "account.get", {}),
      /** `POST /_actions/account.mine` · signed in · `account:read` */
      mine: defineAction<AccountMineInput, AccountMineOutput>(config, "account.mine", {}),
      /** `POST /_actions/account.open` · signed in · `account:open` */
      open: defineAction<AccountOpenInput, AccountOpenOutput>(config, "account.open", {}),
      /** `POST /_actions/account.transfer` · signed in · `account:transfer` on the loaded resource · `Idempotency-Key` honoured */
      transfer: defineAction<AccountTransferInput, AccountTransferOutput>(config, "account.transfer", { idempotencyKey: "optional" }),
    },
    audit: {
      /** `POST /_actions/audit.list` · signed in · `audit:list` */
      list: defineAction<AuditListInput, AuditListOutput>(config, "audit.list", {}),
    },
    contact: {
      /** `POST /_actions/contact.list` · signed in · `contact:read` */
      list: defineAction<ContactListInput, ContactListOutput>(config, "contact.list", {}),
      /** `POST /_actions/contact.send` · public · a form (an object or `FormData`) */
      send: defineAction<ContactSendInput | FormData, ContactSendOutput>(config, "contact.send", { form: true }),
    },
    post: {
      /** `POST /_actions/post.create` · signed in · `post:create` · `Idempotency-Key` honoured */
      create: defineAction<PostCreateInput, PostCreateOutput>(config, "post.create", { idempotencyKey: "optional" }),
      /** `POST /_actions/post.delete` · signed in · `post:delete` on the loaded resource */
      delete: defineAction<PostDeleteInput, PostDeleteOutput>(config, "post.delete", {}),
      /** `POST /_actions/post.get` · public */
      get: defineAction<PostGetInput, PostGetOutput>(config, "post.get", {}),
      /** `POST /_actions/post.list` · public */
      list: defineAction<PostListInput, PostListOutput>(config, "post.list", {}),
      /** `POST /_actions/post.update` · signed in · `post:update` on the loaded resource */
      update: defineAction<PostUpdateInput, PostUpdateOutput>(config, "post.update", {}),
    },
    profile: {
      /** `POST /_actions/profile.get` · public */
      get: defineAction<ProfileGetInput, ProfileGetOutput>(config, "profile.get", {}),
      /** `POST /_actions/profile.save` · signed in · `profile:write` */
      save: defineAction<ProfileSaveInput, ProfileSaveOutput>(config, "profile.save", {}),
    },
  };
}

/** The actions, by namespace: `Actions["post"]["update"]`. */
export type Actions = ReturnType<typeof createActions>;

/** The actions on the page's own origin, cookies included. */
export const actions: Actions = createActions();
