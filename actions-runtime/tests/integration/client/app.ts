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

// echo

export interface Order {
  customerName: string;
  express: boolean;
  lines: Line[];
  note?: string | null;
  placedAt?: string | null;
}

export type EchoInput = Order;

export interface EchoOrder {
  customerName: string;
  express: boolean;
  lines: EchoLine[];
  note: string | null;
  placedAt: string | null;
}

export type EchoOutput = EchoOrder;

export interface Line {
  quantity: number;
  sku: string;
}

export interface EchoLine {
  quantity: number;
  sku: string;
}

// explode

export type ExplodeInput = Record<string, never>;

export type ExplodeOutput = null;

// journal.explode

export interface Entry {
  body: string;
  /** Never in the audit log. */
  password?: string | null;
}

export type JournalExplodeInput = Entry;

export interface Note {
  body: string;
  createdAt: string;
  id: Int64;
  ownerId: Int64;
}

export type JournalExplodeOutput = Note;

// journal.nested

export type JournalNestedInput = Entry;

export type JournalNestedOutput = string;

// journal.refuse

export type JournalRefuseInput = Entry;

export type JournalRefuseOutput = Note;

// journal.stall_once

export type JournalStallOnceInput = Entry;

export type JournalStallOnceOutput = Note;

// journal.write

export type JournalWriteInput = Entry;

export type JournalWriteOutput = Note;

// journal.write_keyed

export type JournalWriteKeyedInput = Entry;

export type JournalWriteKeyedOutput = Note;

// leak

export type LeakInput = Record<string, never>;

export type LeakOutput = null;

// notes.always_conflicts

export interface Sqlstate {
  /** `40001` (serialization failure) or `40P01` (deadlock). */
  code: string;
}

export type NotesAlwaysConflictsInput = Sqlstate;

export type NotesAlwaysConflictsOutput = null;

// notes.append_counted

export interface Round {
  round: Int64;
}

export type NotesAppendCountedInput = Round;

export type NotesAppendCountedOutput = Int64;

// notes.count

export type NotesCountInput = Record<string, never>;

export type NotesCountOutput = Int64;

// notes.create

/** A note as the request gives it: the owner and the time are the server's. */
export interface NewNote {
  body: string;
}

export type NotesCreateInput = NewNote;

export type NotesCreateOutput = Note;

// notes.edit

export interface EditNote {
  body: string;
  id: Int64;
}

export type NotesEditInput = EditNote;

export type NotesEditOutput = Note;

// notes.fail_after_write

export type NotesFailAfterWriteInput = NewNote;

export type NotesFailAfterWriteOutput = Note;

// notes.get

export interface NoteId {
  id: Int64;
}

export type NotesGetInput = NoteId;

export type NotesGetOutput = Note;

// notes.hang_after_write

export type NotesHangAfterWriteInput = NewNote;

export type NotesHangAfterWriteOutput = Note;

// notes.insert_with_id

export type NotesInsertWithIdInput = NoteId;

export type NotesInsertWithIdOutput = null;

// notes.isolation_default

export type NotesIsolationDefaultInput = Record<string, never>;

export type NotesIsolationDefaultOutput = string;

// notes.isolation_repeatable_read

export type NotesIsolationRepeatableReadInput = Record<string, never>;

export type NotesIsolationRepeatableReadOutput = string;

// notes.isolation_serializable

export type NotesIsolationSerializableInput = Record<string, never>;

export type NotesIsolationSerializableOutput = string;

// notes.panic_after_write

export type NotesPanicAfterWriteInput = NewNote;

export type NotesPanicAfterWriteOutput = Note;

// notes.purge

export type NotesPurgeInput = Record<string, never>;

export type NotesPurgeOutput = null;

// prices.put

/** A price, exact: `NUMERIC` in the database, a string of digits on the wire. */
export interface NewPrice {
  amount: string;
  discount?: string | null;
}

export type PricesPutInput = NewPrice;

export interface Price {
  amount: string;
  discount: string | null;
  id: Int64;
}

export type PricesPutOutput = Price;

// upload

export interface Upload {
  agree: boolean;
  attachment?: Blob | null;
  author: Author;
  rating?: number | null;
  tags: string[];
  title: string;
}

export type UploadInput = Upload;

export interface UploadSummary {
  agree: boolean;
  attachmentName: string | null;
  attachmentSize: Int64 | null;
  attachmentType: string | null;
  authorEmail: string | null;
  authorName: string;
  rating: number | null;
  tags: string[];
  title: string;
}

export type UploadOutput = UploadSummary;

export interface Author {
  email?: string | null;
  name: string;
}

// ---------------------------------------------------------------------------------------------
// The client.
// ---------------------------------------------------------------------------------------------

/** This server's actions, called through `config`: `createActions({ baseUrl, fetch, headers })`. */
export function createActions(config: ClientConfig = {}) {
  return {
    /** `POST /_actions/echo` · public */
    echo: defineAction<EchoInput, EchoOutput>(config, "echo", {}),
    /** `POST /_actions/explode` · public */
    explode: defineAction<ExplodeInput, ExplodeOutput>(config, "explode", {}),
    journal: {
      /** `POST /_actions/journal.explode` · signed in */
      explode: defineAction<JournalExplodeInput, JournalExplodeOutput>(config, "journal.explode", {}),
      /** `POST /_actions/journal.nested` · signed in */
      nested: defineAction<JournalNestedInput, JournalNestedOutput>(config, "journal.nested", {}),
      /** `POST /_actions/journal.refuse` · signed in · `Idempotency-Key` honoured */
      refuse: defineAction<JournalRefuseInput, JournalRefuseOutput>(config, "journal.refuse", { idempotencyKey: "optional" }),
      /** `POST /_actions/journal.stall_once` · signed in · `Idempotency-Key` honoured */
      stall_once: defineAction<JournalStallOnceInput, JournalStallOnceOutput>(config, "journal.stall_once", { idempotencyKey: "optional" }),
      /** `POST /_actions/journal.write` · signed in · `Idempotency-Key` honoured */
      write: defineAction<JournalWriteInput, JournalWriteOutput>(config, "journal.write", { idempotencyKey: "optional" }),
      /** `POST /_actions/journal.write_keyed` · signed in · `Idempotency-Key` required (a random one unless given) */
      write_keyed: defineAction<JournalWriteKeyedInput, JournalWriteKeyedOutput>(config, "journal.write_keyed", { idempotencyKey: "required" }),
    },
    /** `POST /_actions/leak` · public */
    leak: defineAction<LeakInput, LeakOutput>(config, "leak", {}),
    notes: {
      /** `POST /_actions/notes.always_conflicts` · signed in */
      always_conflicts: defineAction<NotesAlwaysConflictsInput, NotesAlwaysConflictsOutput>(config, "notes.always_conflicts", {}),
      /** `POST /_actions/notes.append_counted` · signed in */
      append_counted: defineAction<NotesAppendCountedInput, NotesAppendCountedOutput>(config, "notes.append_counted", {}),
      /** `POST /_actions/notes.count` · public */
      count: defineAction<NotesCountInput, NotesCountOutput>(config, "notes.count", {}),
      /** `POST /_actions/notes.create` · signed in */
      create: defineAction<NotesCreateInput, NotesCreateOutput>(config, "notes.create", {}),
      /** `POST /_actions/notes.edit` · signed in · `note:edit` on the loaded resource */
      edit: defineAction<NotesEditInput, NotesEditOutput>(config, "notes.edit", {}),
      /** `POST /_actions/notes.fail_after_write` · signed in */
      fail_after_write: defineAction<NotesFailAfterWriteInput, NotesFailAfterWriteOutput>(config, "notes.fail_after_write", {}),
      /** `POST /_actions/notes.get` · public */
      get: defineAction<NotesGetInput, NotesGetOutput>(config, "notes.get", {}),
      /** `POST /_actions/notes.hang_after_write` · signed in */
      hang_after_write: defineAction<NotesHangAfterWriteInput, NotesHangAfterWriteOutput>(config, "notes.hang_after_write", {}),
      /** `POST /_actions/notes.insert_with_id` · signed in */
      insert_with_id: defineAction<NotesInsertWithIdInput, NotesInsertWithIdOutput>(config, "notes.insert_with_id", {}),
      /** `POST /_actions/notes.isolation_default` · public */
      isolation_default: defineAction<NotesIsolationDefaultInput, NotesIsolationDefaultOutput>(config, "notes.isolation_default", {}),
      /** `POST /_actions/notes.isolation_repeatable_read` · public */
      isolation_repeatable_read: defineAction<NotesIsolationRepeatableReadInput, NotesIsolationRepeatableReadOutput>(config, "notes.isolation_repeatable_read", {}),
      /** `POST /_actions/notes.isolation_serializable` · public */
      isolation_serializable: defineAction<NotesIsolationSerializableInput, NotesIsolationSerializableOutput>(config, "notes.isolation_serializable", {}),
      /** `POST /_actions/notes.panic_after_write` · signed in */
      panic_after_write: defineAction<NotesPanicAfterWriteInput, NotesPanicAfterWriteOutput>(config, "notes.panic_after_write", {}),
      /** `POST /_actions/notes.purge` · signed in · `note:purge` */
      purge: defineAction<NotesPurgeInput, NotesPurgeOutput>(config, "notes.purge", {}),
    },
    prices: {
      /** `POST /_actions/prices.put` · public */
      put: defineAction<PricesPutInput, PricesPutOutput>(config, "prices.put", {}),
    },
    /** `POST /_actions/upload` · public · a form (an object or `FormData`) */
    upload: defineAction<UploadInput | FormData, UploadOutput>(config, "upload", { form: true }),
  };
}

/** The actions, by namespace: `Actions["post"]["update"]`. */
export type Actions = ReturnType<typeof createActions>;

/** The actions on the page's own origin, cookies included. */
export const actions: Actions = createActions();
