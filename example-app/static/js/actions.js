// actions.ts: a typed client of this server's actions, written by actions-runtime from the
// server's registry (`<app> client --lang ts`, or `actions_runtime::client::typescript`).
// Do not edit: regenerate it. How to use it: actions-runtime's guide, docs/clients.md.
/** The HTTP status of each code. */
export const ERROR_STATUS = {
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
/** A failed call: what the server answered (`code`, `message`, `fields`), or what went wrong on the way. */
export class ActionError extends Error {
    /** `"NOT_FOUND"`, `"UNAUTHORIZED"`, …, or a {@link ClientErrorCode}. */
    code;
    /** The HTTP status; 0 when there was no answer. */
    status;
    /** The failing input fields (for `BAD_REQUEST`); empty otherwise. */
    fields;
    /** On server errors (5xx): the id under which the server logged the details. */
    requestId;
    constructor(init) {
        super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
        this.name = "ActionError";
        this.code = init.code;
        this.status = init.status;
        this.fields = init.fields ?? {};
        this.requestId = init.requestId;
    }
}
/** Whether `error` is an {@link ActionError}. */
export function isActionError(error) {
    return error instanceof ActionError;
}
/** Whether the server refused the input (`BAD_REQUEST`); `error.fields` names the failing fields. */
export function isInputError(error) {
    return isActionError(error) && error.code === "BAD_REQUEST";
}
/** Parses JSON as `JSON.parse` does, except that an integer literal beyond `Number.MAX_SAFE_INTEGER` becomes an exact `bigint`. */
export function parseJson(text) {
    let at = 0;
    const fail = () => {
        throw new SyntaxError(`invalid JSON at offset ${at}`);
    };
    const space = () => {
        while (at < text.length) {
            const c = text.charCodeAt(at);
            if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)
                break;
            at += 1;
        }
    };
    const token = (pattern) => {
        pattern.lastIndex = at;
        const match = pattern.exec(text);
        if (match === null)
            return undefined;
        at = pattern.lastIndex;
        return match[0];
    };
    const string = () => JSON.parse(token(JSON_STRING) ?? fail());
    const value = () => {
        space();
        const c = text[at];
        if (c === "{") {
            at += 1;
            const object = {};
            space();
            if (text[at] === "}") {
                at += 1;
                return object;
            }
            for (;;) {
                space();
                const key = string();
                space();
                if (text[at] !== ":")
                    fail();
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
                }
                else if (text[at] === "}") {
                    at += 1;
                    return object;
                }
                else {
                    fail();
                }
            }
        }
        if (c === "[") {
            at += 1;
            const array = [];
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
                }
                else if (text[at] === "]") {
                    at += 1;
                    return array;
                }
                else {
                    fail();
                }
            }
        }
        if (c === '"')
            return string();
        const literal = token(JSON_LITERAL);
        if (literal === undefined)
            return fail();
        if (literal === "true")
            return true;
        if (literal === "false")
            return false;
        if (literal === "null")
            return null;
        const number = Number(literal);
        return /^-?\d+$/.test(literal) && !Number.isSafeInteger(number) ? BigInt(literal) : number;
    };
    const result = value();
    space();
    if (at !== text.length)
        fail();
    return result;
}
const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const JSON_LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** Writes JSON as `JSON.stringify` does, except that a `bigint` is written as its digits (a JSON number). */
export function stringifyJson(value) {
    return write(value) ?? "null";
}
function write(value) {
    if (typeof value === "bigint")
        return value.toString();
    if (value === null || typeof value !== "object")
        return JSON.stringify(value);
    const toJSON = value.toJSON;
    if (typeof toJSON === "function")
        return write(toJSON.call(value));
    if (Array.isArray(value))
        return `[${value.map((item) => write(item) ?? "null").join(",")}]`;
    const members = [];
    for (const [key, item] of Object.entries(value)) {
        const text = write(item);
        if (text !== undefined)
            members.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${members.join(",")}}`;
}
/**
 * A form action's input as the fields a browser's form would send: nested objects as dotted
 * keys (`author.email`), arrays as the key repeated, `true`/`false` as text, files as files;
 * `null` and `undefined` are left out.
 */
export function toFormData(input) {
    const form = new FormData();
    const add = (key, value) => {
        if (value === null || value === undefined)
            return;
        if (value instanceof Blob) {
            form.append(key, value);
        }
        else if (Array.isArray(value)) {
            value.forEach((item, index) => item !== null && typeof item === "object" && !(item instanceof Blob)
                ? add(`${key}.${index}`, item)
                : add(key, item));
        }
        else if (typeof value === "object") {
            for (const [name, item] of Object.entries(value))
                add(key === "" ? name : `${key}.${name}`, item);
        }
        else {
            form.append(key, String(value));
        }
    };
    add("", input);
    return form;
}
/** The server's code for an HTTP status, if it has one. */
function codeOfStatus(status) {
    return Object.keys(ERROR_STATUS).find((code) => ERROR_STATUS[code] === status);
}
function isServerErrorCode(code) {
    return Object.prototype.hasOwnProperty.call(ERROR_STATUS, code);
}
function describe(cause) {
    return cause instanceof Error ? cause.message : String(cause);
}
/** One request, every failure an {@link ActionError}: the parsed body of a 2xx answer, `null` for 204. */
async function request(config, path, body, headers, signal, codeOf, method = "POST") {
    const url = `${(config.baseUrl ?? "").replace(/\/+$/, "")}${path}`;
    const fetcher = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const unreachable = (cause) => signal?.aborted
        ? new ActionError({ code: "ABORTED", status: 0, message: "the call was aborted", cause })
        : new ActionError({ code: "NETWORK_ERROR", status: 0, message: `${path}: ${describe(cause)}`, cause });
    let response;
    let text;
    try {
        response = await fetcher(url, {
            method,
            headers,
            body: body ?? null,
            credentials: config.credentials ?? "include",
            signal: signal ?? null,
        });
        text = await response.text();
    }
    catch (cause) {
        throw unreachable(cause);
    }
    const { status } = response;
    if (status === 204)
        return null;
    let parsed;
    let json = true;
    try {
        parsed = parseJson(text);
    }
    catch {
        json = false;
    }
    if (response.ok) {
        if (json)
            return parsed;
        throw new ActionError({ code: "INVALID_RESPONSE", status, message: `${path}: the answer is not JSON` });
    }
    const error = json && typeof parsed === "object" && parsed !== null ? parsed : {};
    const message = typeof error["message"] === "string" ? error["message"] : `${path} answered ${status}`;
    const fields = typeof error["fields"] === "object" && error["fields"] !== null ? error["fields"] : {};
    const requestId = typeof error["requestId"] === "string" ? error["requestId"] : undefined;
    throw new ActionError({ code: codeOf(status, error["code"]), status, message, fields, ...(requestId === undefined ? {} : { requestId }) });
}
/** An action's code: the server's, else the one of its status. */
function actionCode(status, code) {
    if (typeof code === "string" && isServerErrorCode(code))
        return code;
    return codeOfStatus(status) ?? "INVALID_RESPONSE";
}
async function headersOf(config, extra) {
    const base = typeof config.headers === "function" ? await config.headers() : config.headers;
    const headers = new Headers(base);
    new Headers(extra).forEach((value, name) => headers.set(name, value));
    headers.set("Accept", "application/json");
    return headers;
}
/** `{ data }` for a value, `{ error }` for anything thrown (never a throw). */
async function settle(run) {
    try {
        return { data: await run(), error: undefined };
    }
    catch (error) {
        if (isActionError(error))
            return { data: undefined, error: error };
        return {
            data: undefined,
            error: new ActionError({ code: "CLIENT_ERROR", status: 0, message: describe(error), cause: error }),
        };
    }
}
/** An action of this client's server by its wire name: what `createActions` builds each of its actions with. */
export function defineAction(config, name, spec) {
    // Left out, the input is `{}`: every field absent.
    const orThrow = async (input, options = {}) => {
        const headers = await headersOf(config, options.headers);
        let body;
        if (spec.form) {
            body = input instanceof FormData ? input : toFormData(input ?? {});
        }
        else {
            body = stringifyJson(input ?? {});
            headers.set("Content-Type", "application/json");
        }
        const key = options.idempotencyKey ?? (spec.idempotencyKey === "required" ? crypto.randomUUID() : undefined);
        if (key !== undefined && spec.idempotencyKey !== undefined)
            headers.set("Idempotency-Key", key);
        return (await request(config, `/_actions/${name}`, body, headers, options.signal, actionCode));
    };
    const call = (input, options) => settle(() => orThrow(input, options));
    return Object.assign(call, { orThrow, actionName: name });
}
/** Better Auth's client, for these routes: `auth.signIn.email({ email, password })` and the rest. */
export function createAuth(config = {}) {
    const route = (path, body, options = {}) => settle(async () => {
        const headers = await headersOf(config, options.headers);
        if (body !== undefined)
            headers.set("Content-Type", "application/json");
        const answer = await request(config, `/api/auth/${path}`, body === undefined ? undefined : stringifyJson(body), headers, options.signal, (status, code) => (typeof code === "string" ? code : codeOfStatus(status) ?? "INVALID_RESPONSE"), body === undefined ? "GET" : "POST");
        return answer;
    });
    return {
        signUp: {
            /** Creates an account and signs it in; `token` works as `Authorization: Bearer <token>`. */
            email: (input, options) => route("sign-up/email", input, options),
        },
        signIn: {
            /** Signs in; sets the session cookie and answers the token too. */
            email: (input, options) => route("sign-in/email", input, options),
        },
        /** Ends the session. */
        signOut: (options) => route("sign-out", {}, options),
        /** The session and its user, or `null` when signed out. */
        getSession: (options) => route("get-session", undefined, options),
    };
}
/** The account client on the page's own origin. */
export const auth = createAuth();
// ---------------------------------------------------------------------------------------------
// The client.
// ---------------------------------------------------------------------------------------------
/** This server's actions, called through `config`: `createActions({ baseUrl, fetch, headers })`. */
export function createActions(config = {}) {
    return {
        account: {
            /** `POST /_actions/account.get` · signed in · `account:read` on the loaded resource */
            get: defineAction(config, "account.get", {}),
            /** `POST /_actions/account.mine` · signed in · `account:read` */
            mine: defineAction(config, "account.mine", {}),
            /** `POST /_actions/account.open` · signed in · `account:open` */
            open: defineAction(config, "account.open", {}),
            /** `POST /_actions/account.transfer` · signed in · `account:transfer` on the loaded resource · `Idempotency-Key` honoured */
            transfer: defineAction(config, "account.transfer", { idempotencyKey: "optional" }),
        },
        audit: {
            /** `POST /_actions/audit.list` · signed in · `audit:list` */
            list: defineAction(config, "audit.list", {}),
        },
        contact: {
            /** `POST /_actions/contact.list` · signed in · `contact:read` */
            list: defineAction(config, "contact.list", {}),
            /** `POST /_actions/contact.send` · public · a form (an object or `FormData`) */
            send: defineAction(config, "contact.send", { form: true }),
        },
        post: {
            /** `POST /_actions/post.create` · signed in · `post:create` · `Idempotency-Key` honoured */
            create: defineAction(config, "post.create", { idempotencyKey: "optional" }),
            /** `POST /_actions/post.delete` · signed in · `post:delete` on the loaded resource */
            delete: defineAction(config, "post.delete", {}),
            /** `POST /_actions/post.get` · public */
            get: defineAction(config, "post.get", {}),
            /** `POST /_actions/post.list` · public */
            list: defineAction(config, "post.list", {}),
            /** `POST /_actions/post.update` · signed in · `post:update` on the loaded resource */
            update: defineAction(config, "post.update", {}),
        },
        profile: {
            /** `POST /_actions/profile.get` · public */
            get: defineAction(config, "profile.get", {}),
            /** `POST /_actions/profile.save` · signed in · `profile:write` */
            save: defineAction(config, "profile.save", {}),
        },
    };
}
/** The actions on the page's own origin, cookies included. */
export const actions = createActions();
