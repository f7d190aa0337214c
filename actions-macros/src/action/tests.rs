use super::expand;
use crate::snapshot::{assert_expansion, error_messages};
use quote::quote;

fn update_fn() -> proc_macro2::TokenStream {
    quote! {
        /// Updates a post.
        pub async fn update(ctx: &mut ActionContext, input: UpdatePost) -> Result<Post, ActionError> {
            todo!()
        }
    }
}

#[test]
fn public_action() {
    assert_expansion(
        "action_public",
        expand(
            quote!(public),
            quote! {
                pub async fn get(ctx: &mut ActionContext, input: GetPost) -> Result<Post, ActionError> {
                    load(ctx, input.id).await
                }
            },
        ),
    );
}

#[test]
fn auth_acl_tx_action() {
    assert_expansion(
        "action_auth_acl_tx",
        expand(quote!(auth, acl = "post:update", tx), update_fn()),
    );
}

#[test]
fn acl_implies_auth() {
    assert_expansion(
        "action_acl_only",
        expand(quote!(acl = "post:update"), update_fn()),
    );
}

#[test]
fn form_action_with_wire_name() {
    assert_expansion(
        "action_form_named",
        expand(
            quote!(public, accept = "form", name = "sendMessage"),
            quote! {
                pub(crate) async fn send(ctx: &mut ActionContext, input: Message) -> ActionResult<()> {
                    Ok(())
                }
            },
        ),
    );
}

#[test]
fn form_action_with_redirect() {
    assert_expansion(
        "action_redirect",
        expand(
            quote!(auth, accept = "form", redirect = "/posts/{id}"),
            update_fn(),
        ),
    );
}

#[test]
fn redirect_must_stay_on_the_app() {
    for (template, why) in [
        ("posts/{id}", "starting with `/`"),
        ("//evil.example/{id}", "`//`"),
        ("/posts/{id", "without its `}`"),
        ("/posts/id}", "without its `{`"),
        ("/posts/{}", "not a field name"),
    ] {
        let messages = error_messages(expand(quote!(auth, redirect = #template), update_fn()));
        assert!(
            messages
                .iter()
                .any(|m| m.contains("invalid redirect") && m.contains(why)),
            "{template}: {messages:?}"
        );
    }
}

#[test]
fn stand_in_after_errors() {
    assert_expansion("action_stand_in", expand(quote!(), update_fn()));
}

#[test]
fn missing_posture() {
    let messages = error_messages(expand(quote!(tx), update_fn()));
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("missing access posture"),
        "{messages:?}"
    );
    assert!(messages[0].contains("`public`") && messages[0].contains("`auth`"));
}

#[test]
fn conflicting_postures() {
    let messages = error_messages(expand(quote!(public, auth), update_fn()));
    assert_eq!(
        messages,
        ["an action cannot be both `public` and `auth`: keep the one you mean"]
    );
    let messages = error_messages(expand(quote!(public, acl = "post:update"), update_fn()));
    assert_eq!(
        messages,
        ["`acl` needs a signed-in user, so it cannot be combined with `public`"]
    );
}

#[test]
fn every_attribute_mistake_is_reported_together() {
    let messages = error_messages(expand(
        quote!(
            auth,
            tx,
            tx,
            pubic,
            acl = "Post",
            accept = "xml",
            name = "a.b",
            acl = 3
        ),
        update_fn(),
    ));
    assert_eq!(
        messages,
        [
            "`tx` specified more than once",
            "expected one of: `public`, `auth`, `tx`, `acl`, `accept`, `name`, `load`, `idempotent`, `audit`, `redirect`",
            "`acl` takes a string, like `acl = \"post:update\"`",
            "malformed acl \"Post\": expected \"resource:verb\" made of lower-case identifiers, like \"post:update\"",
            "unknown accept \"xml\": expected \"json\" or \"form\"",
            "invalid action name \"a.b\": use letters, digits and `_`, starting with a letter; dotted namespaces come from `registry!`",
        ]
    );
}

#[test]
fn every_signature_mistake_is_reported_together() {
    let messages = error_messages(expand(
        quote!(public),
        quote! {
            fn bad<T>(ctx: ActionContext, a: T, b: u8) {}
        },
    ));
    let usage = super::sig::USAGE;
    assert_eq!(
        messages,
        [
            // The accepted signature, once, with the first mistake.
            format!("an action must be `async`; {usage}"),
            "an action cannot be generic: its input and output must be concrete types so that their JSON Schema is known".to_owned(),
            "the first argument must be the context, `ctx: &mut ActionContext`".to_owned(),
            "an argument after the input is app state, `State<T>`: put every field of the request in the input type".to_owned(),
            "an action must return `Result<Output, ActionError>`".to_owned(),
        ]
    );
}

#[test]
fn state_arguments() {
    assert_expansion(
        "action_state",
        expand(
            quote!(auth),
            quote! {
                /// Sends a message.
                pub async fn send(
                    ctx: &mut ActionContext,
                    input: Message,
                    mailer: State<Mailer>,
                    settings: actions_runtime::State<Settings>,
                ) -> Result<(), ActionError> {
                    mailer.send(&settings.from, &input.body).await
                }
            },
        ),
    );
    let messages = error_messages(expand(
        quote!(auth),
        quote! {
            pub async fn send(
                ctx: &mut ActionContext,
                input: Message,
                mailer: Mailer,
                settings: State<Settings, Extra>,
                ok: State<Ok>,
            ) -> Result<(), ActionError> {
                Ok(())
            }
        },
    ));
    let wrong = "an argument after the input is app state, `State<T>`: put every field of the request in the input type";
    let usage = super::sig::USAGE;
    assert_eq!(messages, [format!("{wrong}; {usage}"), wrong.to_owned()]);
}

#[test]
fn too_few_arguments() {
    let messages = error_messages(expand(
        quote!(public),
        quote! {
            async fn bad(ctx: &mut ActionContext) -> Result<(), ActionError> {}
        },
    ));
    let usage = super::sig::USAGE;
    assert_eq!(
        messages,
        [format!(
            "expected the context and the input, found 1 argument; {usage}"
        )]
    );
}

#[test]
fn not_a_function() {
    let messages = error_messages(expand(
        quote!(public),
        quote!(
            struct NotAFunction;
        ),
    ));
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].starts_with("#[action] applies to an `async fn`"),
        "{messages:?}"
    );
}

#[test]
fn action_loading_its_resource() {
    assert_expansion(
        "action_load",
        expand(
            quote!(auth, acl = "post:update", load = load_post, tx),
            update_fn(),
        ),
    );
}

#[test]
fn load_needs_acl() {
    let messages = error_messages(expand(quote!(auth, load = load_post), update_fn()));
    assert_eq!(
        messages,
        [
            "`load` loads the resource an ACL policy decides on, so it needs `acl = \"resource:verb\"`"
        ]
    );
}

#[test]
fn idempotent_audited_action() {
    assert_expansion(
        "action_idempotent_audit",
        expand(
            quote!(
                acl = "account:transfer",
                tx(serializable),
                idempotent(required),
                audit
            ),
            update_fn(),
        ),
    );
}

#[test]
fn idempotent_and_audit_need_tx_and_a_user() {
    let messages = error_messages(expand(quote!(public, idempotent, audit), update_fn()));
    assert_eq!(
        messages,
        [
            "`idempotent` stores the response in the same transaction as the action's writes, so it needs `tx`: write `#[action(auth, tx, idempotent)]`",
            "`idempotent` scopes keys to the signed-in user, so it needs `auth`: with `public`, one client could replay another's response",
            "`audit` writes its event in the same transaction as the action's writes, so it needs `tx`: write `#[action(auth, tx, audit)]`",
        ]
    );
    let messages = error_messages(expand(quote!(auth, tx, idempotent(maybe)), update_fn()));
    assert_eq!(
        messages,
        ["expected `idempotent` (the key is optional) or `idempotent(required)`"]
    );
}
