use crate::spawn;
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
        json!(["invalid type: number `1.5`, expected an integer"])
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

actions_runtime::backend_tests!(open_and_read, transfer_rules);
