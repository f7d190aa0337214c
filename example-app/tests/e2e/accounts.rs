use crate::{Rng, spawn};
use actions_runtime::http::StatusCode;
use actions_runtime::testing::{Backend, TestClient};
use serde_json::{Value, json};

async fn open(client: &TestClient, name: &str, deposit: i64) -> i64 {
    let response = client
        .action(
            "account.open",
            json!({"name": name, "initialDeposit": deposit}),
        )
        .await;
    response.assert_status(StatusCode::OK);
    response.json()["id"].as_i64().unwrap()
}

async fn balance(client: &TestClient, id: i64) -> i64 {
    client.action("account.get", json!({"id": id})).await.json()["balance"]
        .as_i64()
        .unwrap()
}

async fn open_and_read(backend: Backend) {
    let app = spawn(backend).await;
    let ada_user = app.user("ada").await;
    let ada = ada_user.client.clone();
    let response = ada
        .action(
            "account.open",
            json!({"name": "Savings", "initialDeposit": 1250}),
        )
        .await;
    let account = response.json();
    assert_eq!(
        account,
        json!({"id": account["id"], "ownerId": ada_user.id, "name": "Savings", "balance": 1250})
    );
    assert_eq!(
        ada.action("account.get", json!({"id": account["id"]}))
            .await
            .json(),
        account
    );
    let response = app
        .user("bob")
        .await
        .client
        .action("account.get", json!({"id": account["id"]}))
        .await;
    assert_eq!(
        response.status,
        StatusCode::FORBIDDEN,
        "balances are private"
    );
    assert_eq!(
        ada.action("account.get", json!({"id": 999})).await.status,
        StatusCode::NOT_FOUND
    );
    let response = ada
        .action("account.open", json!({"name": "", "initialDeposit": -1}))
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({"name": ["must be at least 1 character"], "initialDeposit": ["must be at least 0"]})
    );
    let response = ada
        .action("account.open", json!({"name": "x", "initialDeposit": 1.5}))
        .await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "cents are integers"
    );
    assert_eq!(
        response.json()["fields"]["initialDeposit"],
        json!(["invalid type: floating point `1.5`, expected i64"])
    );
}

async fn transfer_rules(backend: Backend) {
    let app = spawn(backend).await;
    let (ada, bob) = (app.user("ada").await.client, app.user("bob").await.client);
    let (a, b) = (open(&ada, "A", 1000).await, open(&bob, "B", 0).await);

    let response = ada
        .action(
            "account.transfer",
            json!({"from": a, "to": b, "amount": 300}),
        )
        .await;
    assert_eq!(
        response.json(),
        json!({"from": {"id": a, "balance": 700}, "to": {"id": b, "balance": 300}})
    );

    let refused: [(Value, StatusCode, &str); 5] = [
        (
            json!({"from": a, "to": b, "amount": 701}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "UNPROCESSABLE_CONTENT",
        ),
        (
            json!({"from": a, "to": 999, "amount": 1}),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            json!({"from": 999, "to": a, "amount": 1}),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            json!({"from": a, "to": a, "amount": 1}),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            json!({"from": a, "to": b, "amount": 0}),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
    ];
    for (input, status, code) in refused {
        let response = ada.action("account.transfer", input.clone()).await;
        assert_eq!(
            (response.status, response.code()),
            (status, code.to_owned()),
            "{input}"
        );
    }
    let response = ada
        .action(
            "account.transfer",
            json!({"from": a, "to": b, "amount": 701}),
        )
        .await;
    assert_eq!(
        response.json()["message"],
        format!("insufficient funds: account {a} holds 700 cents, 701 requested")
    );
    let response = ada
        .action(
            "account.transfer",
            json!({"from": a, "to": a, "amount": -5}),
        )
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({"amount": ["must be at least 1"], "to": ["must be another account than `from`"]})
    );
    let response = ada
        .action("account.transfer", json!({"from": b, "to": a, "amount": 1}))
        .await;
    assert_eq!(
        response.status,
        StatusCode::FORBIDDEN,
        "only the owner moves money out"
    );
    assert_eq!(
        (balance(&ada, a).await, balance(&bob, b).await),
        (700, 300),
        "refusals change nothing"
    );
}

/// 32 clients × 500 random transfers among 10 accounts: every call is applied exactly once,
/// refused for insufficient funds, or (PostgreSQL, when its serializable transaction lost to
/// others more times than the retry budget allows) answered 503 with nothing applied; the total
/// never changes and no balance goes negative.
async fn concurrent_transfers_keep_the_books(backend: Backend) {
    const ACCOUNTS: usize = 10;
    const CLIENTS: u64 = 32;
    const TRANSFERS: usize = 500;
    const DEPOSIT: i64 = 10_000;
    let app = spawn(backend).await;
    let owner = app.user("owner").await.client;
    let mut ids = Vec::new();
    for i in 0..ACCOUNTS {
        ids.push(open(&owner, &format!("account {i}"), DEPOSIT).await);
    }
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|seed| {
            let (client, ids) = (owner.clone(), ids.clone());
            tokio::spawn(async move {
                let mut rng = Rng::new(seed + 1);
                let mut applied = Vec::new();
                let (mut refused, mut busy) = (0, 0);
                for _ in 0..TRANSFERS {
                    let from = ids[rng.below(ACCOUNTS as u64) as usize];
                    let to = loop {
                        let to = ids[rng.below(ACCOUNTS as u64) as usize];
                        if to != from {
                            break to;
                        }
                    };
                    let amount = 1 + rng.below(3_000) as i64;
                    let response = client
                        .action(
                            "account.transfer",
                            json!({"from": from, "to": to, "amount": amount}),
                        )
                        .await;
                    match response.status {
                        StatusCode::OK => applied.push((from, to, amount)),
                        StatusCode::UNPROCESSABLE_ENTITY => {
                            assert!(
                                response.json()["message"]
                                    .as_str()
                                    .unwrap()
                                    .starts_with("insufficient funds")
                            );
                            refused += 1;
                        }
                        StatusCode::SERVICE_UNAVAILABLE
                            if response.json()["message"]
                                == "the request kept conflicting with concurrent ones; try again" =>
                        {
                            busy += 1;
                        }
                        other => panic!(
                            "transfer answered {other}: {}",
                            String::from_utf8_lossy(&response.body)
                        ),
                    }
                }
                (applied, refused, busy)
            })
        })
        .collect();
    let mut expected: std::collections::HashMap<i64, i64> =
        ids.iter().map(|id| (*id, DEPOSIT)).collect();
    let (mut applied_total, mut refused_total, mut busy_total) = (0, 0, 0);
    for task in tasks {
        let (applied, refused, busy) = task.await.expect("client task");
        refused_total += refused;
        busy_total += busy;
        applied_total += applied.len();
        for (from, to, amount) in applied {
            *expected.get_mut(&from).unwrap() -= amount;
            *expected.get_mut(&to).unwrap() += amount;
        }
    }
    assert_eq!(
        applied_total + refused_total + busy_total,
        CLIENTS as usize * TRANSFERS
    );
    assert!(
        applied_total > refused_total,
        "the run exercised transfers ({applied_total} applied)"
    );
    let mut total = 0;
    for id in &ids {
        let actual = balance(&owner, *id).await;
        assert!(actual >= 0, "account {id} went negative");
        assert_eq!(
            actual, expected[id],
            "account {id}: every applied transfer counted exactly once"
        );
        total += actual;
    }
    assert_eq!(
        total,
        DEPOSIT * ACCOUNTS as i64,
        "money is neither created nor destroyed"
    );
    eprintln!(
        "{backend:?}: {applied_total} transfers applied, {refused_total} refused for insufficient funds, {busy_total} gave up after the retry budget"
    );
}

actions_runtime::backend_tests!(
    open_and_read,
    transfer_rules,
    concurrent_transfers_keep_the_books
);
