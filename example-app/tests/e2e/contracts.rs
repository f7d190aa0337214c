//! The input contract, checked as a property: for every action, the server accepts exactly the
//! bodies its published JSON Schema accepts, so a client validating with `schema.json` never
//! disagrees with the server.
//!
//! Cases are generated from each schema, around its edges: lengths at and beside the limits,
//! whitespace around trimmed text, near-miss emails, URLs and UUIDs, integers at and beside
//! their bounds and the limits of their width, wrong types, `null`, absent and unknown fields.
//! Checks the schema cannot state (`custom = ...` rules, `validate = ...` cross-field hooks, like
//! `to` differing from `from`) may refuse a body the schema accepts; nothing else may.
//!
//! One thing is left out on purpose: integral floats (`5.0`). JSON Schema counts them as
//! integers; the server wants an integer literal. JavaScript never writes one (`JSON.stringify(5.0)`
//! is `"5"`); docs/validation.md says so.
//!
//! `accept = "form"` actions are checked on urlencoded forms as well. A form holds only text, so
//! the schema cannot judge it directly; it judges the form's *coerced value*: the JSON object
//! the form becomes under the coercions docs/actions.md lists (Astro's), computed here
//! independently of the server. The agreement is: the server accepts the form exactly when that
//! value exists (every field could be coerced) and the schema accepts it — again allowing
//! server-only checks to refuse what the schema accepts, and nothing else.

use actions_runtime::Accept;
use actions_runtime::testing::{InputContract, Refusal, input_contracts};
use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};
use std::cell::Cell;

const CASES: u32 = 1500;

#[test]
fn the_server_accepts_exactly_what_the_schema_accepts() {
    let contracts = input_contracts(&example_app::actions::registry());
    assert!(contracts.len() >= 12, "every action has a contract");
    for contract in &contracts {
        check(
            contract,
            "bodies",
            &body(&contract.schema),
            |validator, body| (validator.is_valid(body), contract.check(body)),
        );
    }
}

#[test]
fn the_server_accepts_exactly_the_forms_whose_coerced_value_the_schema_accepts() {
    let contracts = input_contracts(&example_app::actions::registry());
    let forms: Vec<&InputContract> = contracts
        .iter()
        .filter(|contract| contract.accept == Accept::Form)
        .collect();
    assert!(
        forms.iter().any(|contract| contract.name == "contact.send"),
        "the contact form is checked"
    );
    for contract in forms {
        let schema = &contract.schema;
        check(contract, "forms", &form(schema), |validator, form| {
            let fields: Vec<(&str, &str)> = form
                .iter()
                .map(|(key, value)| (key.as_str(), value.as_str()))
                .collect();
            let client = coerce(schema, form).is_some_and(|value| validator.is_valid(&value));
            (client, contract.check_form(&fields))
        });
    }
}

/// Runs `CASES` generated cases of `contract`: `verdicts` gives the schema's and the server's.
fn check<T: std::fmt::Debug>(
    contract: &InputContract,
    what: &str,
    cases: &BoxedStrategy<T>,
    verdicts: impl Fn(&jsonschema::Validator, &T) -> (bool, Result<(), Refusal>),
) {
    let validator = jsonschema::validator_for(&contract.schema).unwrap_or_else(|e| {
        panic!(
            "{}: the published schema does not compile: {e}",
            contract.name
        )
    });
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let (accepted, rejected) = (Cell::new(0_u32), Cell::new(0_u32));
    let result = runner.run(cases, |case| {
        let (client, server) = verdicts(&validator, &case);
        // Exact agreement on every rule the schema states; checks it cannot state (`custom`,
        // cross-field hooks) may refuse a body the schema accepts, and nothing else may.
        let declared_ok = server
            .as_ref()
            .map_or_else(|refusal| refusal.server_only, |()| true);
        prop_assert_eq!(
            client,
            declared_ok,
            "{}: the schema {} {:?} but the server says {:?}",
            contract.name,
            if client { "accepts" } else { "refuses" },
            case,
            server.err()
        );
        let count = if client { &accepted } else { &rejected };
        count.set(count.get() + 1);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    // A generator that only produced garbage (or only valid bodies) would agree vacuously.
    let (accepted, rejected) = (accepted.get(), rejected.get());
    assert!(
        accepted >= CASES / 30 && rejected >= CASES / 30,
        "{}: {accepted} accepted and {rejected} refused; the cases must straddle the rules",
        contract.name
    );
    eprintln!(
        "{}: {accepted} {what} the schema accepts, {rejected} it refuses; the server agrees",
        contract.name
    );
}

/// A request body for an object schema: each property absent or generated, now and then an
/// unknown field, rarely not an object at all.
fn body(schema: &Value) -> BoxedStrategy<Value> {
    let properties: Vec<BoxedStrategy<Option<(String, Value)>>> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        // Files come only from multipart; a JSON body cannot hold one.
        .filter(|(_, property)| property["format"] != "binary")
        .map(|(name, property)| {
            let required = schema["required"]
                .as_array()
                .is_some_and(|r| r.contains(&json!(name)));
            let name = name.clone();
            prop::option::weighted(if required { 0.95 } else { 0.7 }, value(property))
                .prop_map(move |value| value.map(|value| (name.clone(), value)))
                .boxed()
        })
        .collect();
    let unknown = prop::option::weighted(0.05, Just(("userId".to_owned(), json!(1))));
    let object = (properties, unknown).prop_map(|(fields, unknown)| {
        Value::Object(
            fields
                .into_iter()
                .flatten()
                .chain(unknown)
                .collect::<Map<_, _>>(),
        )
    });
    Union::new_weighted(vec![
        (30, object.boxed()),
        (
            1,
            prop_oneof![Just(json!([])), Just(Value::Null), Just(json!("{}"))].boxed(),
        ),
    ])
    .boxed()
}

/// A value for one property: mostly of its type and near its rules, sometimes of another.
fn value(schema: &Value) -> BoxedStrategy<Value> {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let wrong = prop_oneof![
        Just(json!(true)),
        Just(json!(7)),
        Just(json!(1.5)),
        Just(json!("7")),
        Just(json!([])),
        Just(json!({})),
    ];
    let mut options: Vec<(u32, BoxedStrategy<Value>)> =
        vec![(2, wrong.boxed()), (1, Just(Value::Null).boxed())];
    for kind in types {
        let strategy = match kind {
            "integer" => integer(schema),
            "string" => string(schema),
            "boolean" => any::<bool>().prop_map(Value::from).boxed(),
            "array" => array(schema),
            _ => continue,
        };
        options.push((30, strategy));
    }
    Union::new_weighted(options).boxed()
}

/// Integers at, just inside and just outside each bound, and anywhere in `i64`.
fn integer(schema: &Value) -> BoxedStrategy<Value> {
    let bound = |key: &str| {
        schema[key]
            .as_i64()
            .map(i128::from)
            .or_else(|| schema[key].as_u64().map(i128::from))
    };
    let mut edges = vec![
        0_i128,
        1,
        -1,
        i128::from(i64::MIN),
        i128::from(i64::MAX),
        i128::from(u64::MAX),
    ];
    for bound in [bound("minimum"), bound("maximum")].into_iter().flatten() {
        edges.extend([bound - 1, bound, bound + 1]);
    }
    let edges: Vec<Value> = edges
        .into_iter()
        .filter_map(|n| {
            i64::try_from(n)
                .map(Value::from)
                .or_else(|_| u64::try_from(n).map(Value::from))
                .ok()
        })
        .collect();
    prop_oneof![
        3 => proptest::sample::select(edges),
        1 => any::<i64>().prop_map(Value::from),
        1 => (-3_i64..300).prop_map(Value::from),
    ]
    .boxed()
}

const PIECES: &[&str] = &[
    "a", "Z", "0", " ", "  ", "\t", "\n", "\u{a0}", "é", "😀", "@", ".", "-", "_", "/", ":", "?",
    "#", "%", "http://", "https://", "ex", "com", "\r", "(", "%zz", "%41", "[",
];

/// Control characters: text refuses them, but tabs and line breaks (in `PIECES`).
const CONTROLS: &[&str] = &[
    "\u{0}", "\u{1}", "\u{b}", "\u{1b}", "\u{7f}", "\u{85}", "\u{9f}",
];

/// Text near the field's rules: random pieces, near-miss emails, URLs and UUIDs, and lengths
/// around every limit, padded with whitespace or not.
fn string(schema: &Value) -> BoxedStrategy<Value> {
    let pieces =
        prop::collection::vec(proptest::sample::select(PIECES), 0..10).prop_map(|p| p.concat());
    let control = (
        pieces.clone(),
        proptest::sample::select(CONTROLS),
        pieces.clone(),
    )
        .prop_map(|(before, control, after)| format!("{before}{control}{after}"));
    let pad = proptest::sample::select(vec!["", "", " ", "\t", "  \n"]);
    let good = proptest::sample::select(vec!["a", "ada", "a.b", "A", "x-y", "o'h+t"]);
    // Near misses: empty, a space, non-ASCII (RFC 5321 is ASCII), what the fuzz of the published
    // schemas found the server storing, and hyphens and dots out of place.
    let odd = proptest::sample::select(vec!["", "a b", "é", "-b", "b-", "a(b", "a\u{1}b", "a..b"]);
    let word = prop_oneof![10 => good, 1 => odd];
    let email = (
        pad.clone(),
        word.clone(),
        word.clone(),
        word.clone(),
        pad.clone(),
    )
        .prop_map(|(l, user, domain, tld, r)| format!("{l}{user}@{domain}.{tld}{r}"));
    let scheme = proptest::sample::select(vec![
        "http://", "https://", "HTTPS://", "ftp://", "http:/", "",
    ]);
    let host = proptest::sample::select(vec![
        "ex.com",
        "ex",
        "",
        "a b.com",
        "ex.com:8080",
        "[::1]",
        "[::1",
        "[zz]",
        "a%zz",
        "a%41",
        "a\u{1}b",
        "u:p@ex.com",
    ]);
    let path = proptest::sample::select(vec![
        "", "/", "/p?q=1#f", "/ x", "?", "#", "/\u{0}", "/%7e", "/<x>", "/a%2",
    ]);
    let url = (scheme, host, path).prop_map(|(s, h, p)| format!("{s}{h}{p}"));
    let uuid =
        (any::<u128>(), proptest::sample::select(vec![0_u8, 1, 2, 3])).prop_map(|(n, variant)| {
            let text = format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                n >> 96,
                (n >> 80) & 0xffff,
                (n >> 64) & 0xffff,
                (n >> 48) & 0xffff,
                n & 0xffff_ffff_ffff
            );
            match variant {
                0 => text,
                1 => text.to_uppercase(),
                2 => text.replace('-', ""),
                _ => format!("{{{text}}}"),
            }
        });
    let mut limits: Vec<usize> = ["minLength", "maxLength"]
        .iter()
        .filter_map(|key| schema[*key].as_u64())
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        .collect();
    // Trimmed lengths live in the pattern: `{0,198}` says 200.
    if let Some(pattern) = schema["pattern"].as_str() {
        for (start, _) in pattern.match_indices("{0,") {
            if let Some(n) = pattern[start + 3..]
                .split('}')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
            {
                limits.push(n + 2);
            }
        }
    }
    limits.extend([0, 1, 2]);
    let lengths: Vec<usize> = limits
        .iter()
        .flat_map(|&n| [n.saturating_sub(1), n, n + 1])
        .collect();
    let sized = (
        proptest::sample::select(lengths),
        pad.clone(),
        pad,
        any::<bool>(),
    )
        .prop_map(|(n, l, r, hollow)| {
            let inner = if hollow && n >= 2 {
                format!("a{}a", " ".repeat(n - 2))
            } else {
                "é".repeat(n)
            };
            format!("{l}{inner}{r}")
        });
    // The field's own format gets most cases, so whole bodies are often valid.
    let weight = |format: &str| if schema["format"] == format { 12 } else { 1 };
    prop_oneof![
        3 => pieces,
        1 => control,
        weight("email") => email,
        weight("uri") => url,
        weight("uuid") => uuid,
        3 => sized,
    ]
    .prop_map(Value::from)
    .boxed()
}

/// Arrays around `maxItems`, of the item schema's values.
fn array(schema: &Value) -> BoxedStrategy<Value> {
    let max = schema["maxItems"]
        .as_u64()
        .map_or(4, |n| usize::try_from(n).unwrap_or(4));
    prop::collection::vec(value(&schema["items"]), 0..=max + 2)
        .prop_map(Value::from)
        .boxed()
}

/// The properties of an object schema a form can fill: every one but files, which only a
/// multipart body carries.
fn form_properties(schema: &Value) -> impl Iterator<Item = (&String, &Value)> {
    schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, property)| property["format"] != "binary")
}

/// The JSON types a property allows (`["string", "null"]` for an optional string).
fn types(property: &Value) -> Vec<&str> {
    match &property["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        other => panic!("no form coercion for a property typed {other}: {property}"),
    }
}

/// An urlencoded form for an object schema, as `(key, value)` pairs in the order sent: each
/// property not sent, sent once or sent again (a repeated key), with text of its type and
/// beside it (numbers and booleans as text, `on`, empty values); now and then an unknown key.
fn form(schema: &Value) -> BoxedStrategy<Vec<(String, String)>> {
    let fields: Vec<BoxedStrategy<Vec<(String, String)>>> = form_properties(schema)
        .map(|(name, property)| {
            let required = schema["required"]
                .as_array()
                .is_some_and(|r| r.contains(&json!(name)));
            let types = types(property);
            let (text, most) = if types.contains(&"array") {
                let most = property["maxItems"]
                    .as_u64()
                    .map_or(4, |n| usize::try_from(n).unwrap_or(4));
                (form_text(&property["items"]), most + 2)
            } else {
                (form_text(property), 3)
            };
            let name = name.clone();
            // A scalar is mostly sent once: twice is refused whatever the value.
            let sent = if types.contains(&"array") {
                prop::collection::vec(text, 1..=most).boxed()
            } else {
                prop_oneof![
                    15 => prop::collection::vec(text.clone(), 1..=1),
                    1 => prop::collection::vec(text, 2..=most),
                ]
                .boxed()
            };
            prop::option::weighted(if required { 0.95 } else { 0.6 }, sent)
                .prop_map(move |values| {
                    values
                        .into_iter()
                        .flatten()
                        .map(|value| (name.clone(), value))
                        .collect()
                })
                .boxed()
        })
        .collect();
    let unknown = prop::option::weighted(0.05, Just(("userId".to_owned(), "1".to_owned())));
    (fields, unknown)
        .prop_map(|(fields, unknown)| fields.into_iter().flatten().chain(unknown).collect())
        .prop_shuffle()
        .boxed()
}

/// Text for one value of a property: mostly what its type reads, sometimes not.
fn form_text(property: &Value) -> BoxedStrategy<String> {
    let anything = proptest::sample::select(vec![
        "", "", " ", "on", "off", "true", "yes", "no", "0", "1", "7", "-3", "1.5", "abc",
    ])
    .prop_map(str::to_owned);
    let mut options: Vec<(u32, BoxedStrategy<String>)> = vec![(3, anything.boxed())];
    for kind in types(property) {
        let strategy = match kind {
            "boolean" => proptest::sample::select(vec![
                "on", "ON", "true", "True", "1", "yes", "off", "false", "0", "no", "", "sure", "2",
                " on",
            ])
            .prop_map(str::to_owned)
            .boxed(),
            "integer" => integer(property)
                .prop_flat_map(|n| {
                    proptest::sample::select(vec![
                        format!("{n}"),
                        format!(" {n} "),
                        format!("{n}.0"),
                    ])
                })
                .boxed(),
            "string" => string(property)
                .prop_map(|value| value.as_str().unwrap_or_default().to_owned())
                .boxed(),
            "null" => continue,
            other => panic!("no form text for a value typed {other}: {property}"),
        };
        options.push((24, strategy));
    }
    Union::new_weighted(options).boxed()
}

/// The JSON value a form becomes, by the coercions of docs/actions.md (Forms), driven by the
/// schema as the server is driven by the input's types; `None` when some field's text cannot
/// be read as its type. Written from the documentation, not from the server's code:
///
/// - a list takes every value sent under its key, in order, empty ones left out; none is `[]`;
/// - any other property sent more than once is refused, as JSON refuses a repeated key;
/// - a boolean: `true`/`on`/`1`/`yes` and `false`/`off`/`0`/`no`/empty, any case; not sent is
///   `false` (an unchecked box);
/// - an integer or a number: its text, spaces around it ignored;
/// - text as sent; an empty value of an optional property, like one not sent, is absent;
/// - a key the schema does not name stays, as text, for the schema to refuse.
fn coerce(schema: &Value, form: &[(String, String)]) -> Option<Value> {
    let mut object = Map::new();
    let properties: Vec<(&String, &Value)> = form_properties(schema).collect();
    for (key, value) in form {
        if !properties.iter().any(|(name, _)| *name == key) && !object.contains_key(key) {
            object.insert(key.clone(), Value::from(value.as_str()));
        }
    }
    for (name, property) in properties {
        let types = types(property);
        let nullable = types.contains(&"null");
        let required = schema["required"]
            .as_array()
            .is_some_and(|r| r.contains(&json!(name)));
        let values = form
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str());
        let coerced = if types.contains(&"array") {
            let item = types_of_items(property);
            let items = values
                .filter(|value| !value.is_empty())
                .map(|value| coerce_text(&item, value))
                .collect::<Option<Vec<Value>>>()?;
            Some(Value::Array(items))
        } else {
            let sent: Vec<&str> = values.collect();
            if sent.len() > 1 {
                return None;
            }
            match sent.first().copied() {
                None | Some("") if nullable || !required => None,
                None if types == ["boolean"] => Some(Value::Bool(false)),
                None => None,
                Some(text) => Some(coerce_text(&types, text)?),
            }
        };
        if let Some(value) = coerced {
            object.insert(name.clone(), value);
        }
    }
    Some(Value::Object(object))
}

fn types_of_items(property: &Value) -> Vec<&str> {
    types(&property["items"])
}

/// One text as a value of one of `types`.
fn coerce_text(types: &[&str], text: &str) -> Option<Value> {
    let lower = text.to_ascii_lowercase();
    types.iter().find_map(|kind| match *kind {
        "string" => Some(Value::from(text)),
        "boolean" => match lower.as_str() {
            "true" | "on" | "1" | "yes" => Some(Value::Bool(true)),
            "false" | "off" | "0" | "no" | "" => Some(Value::Bool(false)),
            _ => None,
        },
        "integer" => {
            let text = text.trim();
            text.parse::<i64>()
                .map(Value::from)
                .or_else(|_| text.parse::<u64>().map(Value::from))
                .ok()
        }
        "number" => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number)),
        _ => None,
    })
}
