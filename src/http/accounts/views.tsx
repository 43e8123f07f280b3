import type { Child } from "hono/jsx";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../core/accounts.ts";
import { CSRF_FIELD } from "../csrf.ts";

/** A POST form carrying the CSRF token. */
export function PostForm(props: { action: string; csrf: string; class?: string; children?: Child }) {
  return (
    <form method="post" action={props.action} class={props.class ?? "stack"}>
      <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
      {props.children}
    </form>
  );
}

export function Field(props: {
  label: string;
  name: string;
  type?: "text" | "email" | "password";
  value?: string;
  autocomplete?: string;
  maxlength?: number;
  minlength?: number;
  required?: boolean;
  hint?: string;
}) {
  return (
    <p>
      <label>
        {props.label}
        <br />
        <input
          type={props.type ?? "text"}
          name={props.name}
          value={props.type === "password" ? undefined : props.value}
          autocomplete={props.autocomplete}
          maxlength={props.maxlength}
          minlength={props.minlength}
          required={props.required ?? true}
        />
      </label>
      {props.hint ? (
        <>
          <br />
          <small class="muted">{props.hint}</small>
        </>
      ) : null}
    </p>
  );
}

/** The account forms' email field (sign up, sign in, reset). */
export function EmailField(props: { value?: string | undefined }) {
  return (
    <Field label="Email" name="email" type="email" value={props.value} autocomplete="email" maxlength={254} />
  );
}

/** A problem or an outcome shown above a form. */
export function Notice(props: { text: string | null | undefined; kind?: "error" | "info" }) {
  if (!props.text) return null;
  const error = props.kind !== "info";
  return (
    <p class={error ? "notice error" : "notice"} role={error ? "alert" : "status"}>
      {props.text}
    </p>
  );
}

export function Submit(props: { label: string }) {
  return (
    <p>
      <button class="btn" type="submit">
        {props.label}
      </button>
    </p>
  );
}

/** The field that sets a password, with the bounds the account rules check (core/accounts.ts). */
export function NewPasswordField(props: { label: string; note?: string }) {
  return (
    <Field
      label={props.label}
      name="password"
      type="password"
      autocomplete="new-password"
      minlength={PASSWORD_MIN_LENGTH}
      maxlength={PASSWORD_MAX_LENGTH}
      hint={`At least ${PASSWORD_MIN_LENGTH} characters.${props.note ? ` ${props.note}` : ""}`}
    />
  );
}
