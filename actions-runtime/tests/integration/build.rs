//! What `Server::build` refuses, before anything listens.

use actions_runtime::acl::{Decides, Permission, Policy, ResourceRules};
use actions_runtime::auth::User;
use actions_runtime::prelude::*;
use actions_runtime::testing::TestAuthenticator;
use actions_runtime::{BuildProblem, Registry, Server};

/// An input declared without `#[input]`: snake_case, and unknown fields ignored.
#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct Loose {
    pub user_id: i64,
}

impl actions_runtime::ActionInput for Loose {}

/// An output declared without `#[output]`.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct SnakeOut {
    pub created_at: String,
}

#[input]
#[derive(Clone)]
pub struct Ok {
    pub id: i64,
}

#[action(public)]
pub async fn loose(_: &mut ActionContext, input: Loose) -> Result<i64, ActionError> {
    Result::Ok(input.user_id)
}

#[action(public)]
pub async fn snake(_: &mut ActionContext, _: Ok) -> Result<SnakeOut, ActionError> {
    Result::Ok(SnakeOut {
        created_at: String::new(),
    })
}

#[action(auth, tx)]
pub async fn guarded(_: &mut ActionContext, input: Ok) -> Result<i64, ActionError> {
    Result::Ok(input.id)
}

fn problems(registry: Registry) -> Vec<String> {
    match Server::builder(registry).build() {
        Result::Ok(_) => Vec::new(),
        Err(error) => error.problems().iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn wire_conventions_are_enforced() {
    let found = problems(Registry::new().with::<loose>().with::<snake>());
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with(
            "action `loose`: input `integration::build::Loose` accepts unknown fields (`user_id`)"
        ),
        "{}",
        found[0]
    );
    assert!(
        found[1].starts_with(
            "action `loose`: input field `user_id` of `integration::build::Loose` is not camelCase"
        ),
        "{}",
        found[1]
    );
    assert!(found[2].starts_with("action `snake`: output field `created_at` of `integration::build::SnakeOut` is not camelCase"), "{}", found[2]);
}

#[test]
fn duplicates_from_merged_registries_are_refused() {
    let a = Registry::new().nest("post", Registry::new().with::<snake>());
    let b = actions_runtime::registry! { post: { snake } };
    let found = problems(a.merge(b));
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("two actions are registered as `post.snake`")),
        "{found:#?}"
    );
}

#[test]
fn missing_authenticator_and_database_are_refused() {
    let found = problems(Registry::new().with::<guarded>());
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0]
            .contains("[\"guarded\"] require a signed-in user, but no authenticator is installed")
    );
    assert!(
        found[1].contains("[\"guarded\"] run in a transaction, but the server has no database")
    );
}

#[test]
fn bad_namespaces_are_refused() {
    let found = problems(Registry::new().nest("post.admin", Registry::new()));
    assert_eq!(
        found,
        ["invalid namespace \"post.admin\": use letters, digits and `_`, starting with a letter"]
    );
    let error = Server::builder(Registry::new().nest("x y", Registry::new()))
        .build()
        .unwrap_err();
    assert!(matches!(
        error.problems()[0],
        BuildProblem::InvalidRegistry(_)
    ));
    assert!(
        error
            .to_string()
            .starts_with("the server cannot be built:\n  - invalid namespace")
    );
}

/// A resource only `read_secret` loads.
pub struct Secret {
    pub id: i64,
}

/// An ordinary loader: the resource's type is read from its `Result<Option<Secret>, _>`.
pub async fn load_secret(
    _ctx: &mut ActionContext,
    input: &Ok,
) -> Result<Option<Secret>, ActionError> {
    Result::Ok(Some(Secret { id: input.id }))
}

#[action(acl = "secret:read", load = load_secret)]
pub async fn read_secret(ctx: &mut ActionContext, _input: Ok) -> Result<i64, ActionError> {
    Result::Ok(ctx.loaded::<Secret>()?.id)
}

/// A policy with a resource rule for one type, and perhaps for every other.
struct Rules {
    secrets: bool,
    otherwise: bool,
}

impl Policy for Rules {
    fn decides(&self) -> Decides<'_> {
        Decides::Every
    }

    fn resources(&self, rules: &mut ResourceRules) {
        rules.on(|_: &User, _: Permission, _: &String| true);
        if self.secrets {
            rules.on(|_: &User, _: Permission, secret: &Secret| secret.id > 0);
        }
        if self.otherwise {
            rules.otherwise(|_, _| false);
        }
    }
}

fn build_with(rules: Rules) -> Result<Server, actions_runtime::BuildError> {
    Server::builder(Registry::new().with::<read_secret>())
        .authenticator(TestAuthenticator)
        .policy(rules)
        .build()
}

#[test]
fn a_loaded_resource_needs_a_rule() {
    let error = build_with(Rules {
        secrets: false,
        otherwise: false,
    })
    .expect_err("no rule covers `Secret`");
    assert!(
        matches!(
            error.problems(),
            [BuildProblem::UnruledResource { action, resource }]
                if action == "read_secret" && *resource == "integration::build::Secret"
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the server cannot be built:\n  - action `read_secret` loads `integration::build::Secret` resources, but the policy has no rule for them; add one in Policy::resources with rules.on::<integration::build::Secret>(…)"
    );
    for (secrets, otherwise) in [(true, false), (false, true), (true, true)] {
        build_with(Rules { secrets, otherwise }).unwrap_or_else(|error| {
            panic!("a rule for `Secret` ({secrets}) or for every type ({otherwise}): {error}")
        });
    }
    Server::builder(Registry::new().with::<read_secret>())
        .authenticator(TestAuthenticator)
        .build()
        .expect("DefaultPolicy has a rule for every type");
}

/// What the redirect tests' actions answer: `authorId`, `summary` and `author` on the wire.
#[output]
pub struct Created {
    pub id: i64,
    pub author_id: i64,
    pub title: String,
    pub summary: Option<String>,
    pub author: Author,
}

#[output]
pub struct Author {
    pub name: String,
}

fn created() -> Created {
    Created {
        id: 1,
        author_id: 2,
        title: String::new(),
        summary: None,
        author: Author {
            name: String::new(),
        },
    }
}

#[action(public, redirect = "/authors/{authorId}/posts/{id}/{title}")]
pub async fn redirect_ok(_: &mut ActionContext, _: Ok) -> Result<Created, ActionError> {
    Result::Ok(created())
}

/// `{idd}`: a typo.
#[action(public, redirect = "/posts/{idd}")]
pub async fn redirect_typo(_: &mut ActionContext, _: Ok) -> Result<Created, ActionError> {
    Result::Ok(created())
}

/// `{author_id}`: the Rust name, not the wire's `authorId`.
#[action(public, redirect = "/authors/{author_id}")]
pub async fn redirect_rust_name(_: &mut ActionContext, _: Ok) -> Result<Created, ActionError> {
    Result::Ok(created())
}

#[action(public, redirect = "/posts/{summary}")]
pub async fn redirect_optional(_: &mut ActionContext, _: Ok) -> Result<Created, ActionError> {
    Result::Ok(created())
}

#[action(public, redirect = "/posts/{author}")]
pub async fn redirect_object(_: &mut ActionContext, _: Ok) -> Result<Created, ActionError> {
    Result::Ok(created())
}

#[action(public, redirect = "/posts/{id}")]
pub async fn redirect_unit(_: &mut ActionContext, _: Ok) -> Result<(), ActionError> {
    Result::Ok(())
}

/// A fixed page needs no field: `()` is fine.
#[action(public, redirect = "/posts")]
pub async fn redirect_fixed(_: &mut ActionContext, _: Ok) -> Result<(), ActionError> {
    Result::Ok(())
}

#[test]
fn redirect_placeholders_name_scalar_fields_of_the_output() {
    let registry = actions_runtime::registry! { post: { redirect_ok, redirect_fixed } };
    assert_eq!(problems(registry), Vec::<String>::new());
    let needs = "a placeholder needs a field that is always a string, a number or a boolean \
                 (it has: authorId, id, title)";
    for (registry, expected) in [
        (
            actions_runtime::registry! { post: { redirect_typo } },
            "action `post.redirect_typo`: redirect \"/posts/{idd}\": the output has no field \
             \"idd\" (it has: authorId, id, title)"
                .to_owned(),
        ),
        (
            Registry::new().with::<redirect_rust_name>(),
            "action `redirect_rust_name`: redirect \"/authors/{author_id}\": the output has no \
             field \"author_id\" (it has: authorId, id, title)"
                .to_owned(),
        ),
        (
            Registry::new().with::<redirect_optional>(),
            format!(
                "action `redirect_optional`: redirect \"/posts/{{summary}}\": the output's field \
                 \"summary\" may be null: {needs}"
            ),
        ),
        (
            Registry::new().with::<redirect_object>(),
            format!(
                "action `redirect_object`: redirect \"/posts/{{author}}\": the output's field \
                 \"author\" is an object: {needs}"
            ),
        ),
        (
            Registry::new().with::<redirect_unit>(),
            "action `redirect_unit`: redirect \"/posts/{id}\": the output `()` is null, not an \
             object with a field \"id\""
                .to_owned(),
        ),
    ] {
        assert_eq!(problems(registry), [expected]);
    }
}
