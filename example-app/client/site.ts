// The demo site's script: progressive enhancement of the forms the server renders. Each form
// already works without JavaScript (it posts to its action and the server redirects); with it,
// the same form is sent through the generated client (`actions.ts`), field errors appear in
// place with the typed values kept, and the page then navigates or updates.
import { actions, auth, type ActionError, type ActionResult, type Int64 } from "./actions.js";

type Input = Record<string, string | Int64 | string[]>;
type Call = (form: HTMLFormElement) => Promise<ActionResult<unknown, ActionError<string>>>;

/** The form's fields as an action's JSON input: `data-int` controls as numbers, empty ones left out. */
function inputOf(form: HTMLFormElement): Input {
  const input: Input = {};
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement)) continue;
    if (element.name === "" || element.name === "callbackURL") continue;
    const value = element.value;
    if (element.hasAttribute("data-int")) {
      // A number the server checks; text that is not one goes as is, for the server to name.
      if (value !== "") input[element.name] = /^-?\d+$/.test(value) ? Number(value) : value;
    } else {
      input[element.name] = value;
    }
  }
  return input;
}

/** Each enhanced action, called through the generated client with its typed input. */
const calls: Record<string, Call> = {
  "post.create": (form) => {
    const { title, body } = inputOf(form) as { title: string; body: string };
    return actions.post.create({ title, body });
  },
  "post.update": (form) => {
    const { id, title, body } = inputOf(form) as { id: number; title: string; body: string };
    return actions.post.update({ id, title, body });
  },
  "account.open": (form) => {
    const { name, initialDeposit } = inputOf(form) as { name: string; initialDeposit: number };
    return actions.account.open({ name, initialDeposit });
  },
  "account.transfer": (form) => {
    const { from, to, amount } = inputOf(form) as { from: number; to: number; amount: number };
    return actions.account.transfer({ from, to, amount });
  },
  // A form action: the browser's own multipart body, the attachment included.
  "contact.send": (form) => actions.contact.send(new FormData(form)),
  "sign-up/email": (form) => {
    const { name, email, password } = inputOf(form) as { name: string; email: string; password: string };
    return auth.signUp.email({ name, email, password });
  },
  "sign-in/email": (form) => {
    const { email, password } = inputOf(form) as { email: string; password: string };
    return auth.signIn.email({ email, password });
  },
  "sign-out": () => auth.signOut(),
};

/** Removes what the last submission showed: the summary, each field's error and its marks. */
function clearErrors(form: HTMLFormElement, summary: HTMLElement | null): void {
  if (summary !== null) summary.replaceChildren();
  for (const error of Array.from(form.querySelectorAll(".field-error"))) error.remove();
  for (const field of Array.from(form.querySelectorAll("[aria-invalid]"))) {
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-describedby");
  }
  for (const notice of Array.from(document.querySelectorAll(".notice"))) notice.remove();
}

/** The server's refusal, shown as the server renders it: the summary, then each field's error. */
function showErrors(form: HTMLFormElement, summary: HTMLElement | null, message: string, fields: Record<string, string[]>): void {
  const items: HTMLElement[] = [];
  for (const [name, messages] of Object.entries(fields)) {
    const text = messages[0] ?? "is invalid";
    const control = form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
    if (control !== null) {
      const error = document.createElement("p");
      error.className = "field-error";
      error.id = `${control.id}-error`;
      error.textContent = text;
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", error.id);
      control.after(error);
    }
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `#${control?.id ?? name}`;
    link.textContent = `${name}: ${text}`;
    item.append(link);
    items.push(item);
  }
  if (summary === null) return;
  const heading = document.createElement("h2");
  heading.textContent = message;
  summary.append(heading);
  if (items.length > 0) {
    const list = document.createElement("ul");
    list.append(...items);
    summary.append(list);
  }
}

/** `/posts/{id}` with the result's `id`. */
function target(template: string, data: unknown): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = typeof data === "object" && data !== null ? (data as Record<string, unknown>)[key] : undefined;
    return encodeURIComponent(String(value ?? ""));
  });
}

function enhance(form: HTMLFormElement): void {
  const name = form.dataset["action"] ?? form.dataset["auth"];
  const call = name === undefined ? undefined : calls[name];
  if (call === undefined) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const summary = document.querySelector<HTMLElement>("[data-summary]");
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button !== null) button.disabled = true;
    void call(form).then(({ data, error }) => {
      if (button !== null) button.disabled = false;
      clearErrors(form, summary);
      if (error !== undefined) {
        showErrors(form, summary, error.message, error.fields);
        const first = form.querySelector<HTMLElement>("[aria-invalid=true]");
        (first ?? summary)?.focus();
        return;
      }
      const redirect = form.dataset["redirect"] ?? (form.dataset["auth"] === undefined ? undefined : "/");
      if (redirect !== undefined) {
        window.location.assign(target(redirect, data));
        return;
      }
      const success = form.dataset["success"];
      if (success !== undefined) {
        form.reset();
        const notice = document.createElement("p");
        notice.className = "notice";
        notice.setAttribute("role", "status");
        notice.textContent = success;
        form.before(notice);
      }
    });
  });
}

for (const form of Array.from(document.querySelectorAll<HTMLFormElement>("form[data-action], form[data-auth]"))) enhance(form);
document.documentElement.dataset["enhanced"] = "true";
