//! Accounts holding integer cents, and transfers between them in one transaction.

use crate::schema::{accounts, transfers};
use actions_runtime::ErrorCode;
use actions_runtime::prelude::*;

/// An account, as stored.
#[output]
#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub owner_id: i64,
    pub name: String,
    /// Integer cents, never negative.
    pub balance: i64,
}

/// A new account: its name from the request; owner and balance set by the server, the
/// balance from `initialDeposit`.
#[input(table = crate::schema::accounts, insert, server(owner_id, balance))]
#[derive(Debug, Clone)]
pub struct OpenAccount {
    /// 1 to 100 characters (the column's `#[max_length]`), trimmed.
    #[field(trim, min_length = 1)]
    pub name: _,
    /// Integer cents, zero or more.
    #[field(min = 0)]
    pub initial_deposit: i64,
}

/// Names one account.
#[input(table = crate::schema::accounts, select, pick(id))]
#[derive(Debug, Clone, Copy)]
pub struct AccountId;

/// Moves money.
#[input(validate = Self::check)]
#[derive(Debug, Clone, Copy)]
pub struct Transfer {
    pub from: i64,
    pub to: i64,
    /// Integer cents, more than zero.
    #[field(min = 1)]
    pub amount: i64,
}

impl Transfer {
    fn check(&self, errors: &mut FieldErrors) {
        if self.from == self.to {
            errors.add("to", "must be another account than `from`");
        }
    }
}

/// An account's balance after a transfer.
#[output]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balance {
    pub id: i64,
    pub balance: i64,
}

/// Both balances after a transfer.
#[output]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transferred {
    pub from: Balance,
    pub to: Balance,
}

/// Opens an account for the signed-in user.
#[action(acl = "account:open", redirect = "/account")]
pub async fn open(ctx: &mut ActionContext, input: OpenAccount) -> Result<Account, ActionError> {
    open_account(ctx, input).await
}

/// Opening an account's work (`open`).
pub(crate) async fn open_account(
    ctx: &mut ActionContext,
    input: OpenAccount,
) -> Result<Account, ActionError> {
    let owner = ctx.user()?.id;
    let conn = ctx.db().await?;
    let account = db!(conn, |c| {
        diesel::insert_into(accounts::table)
            .values((
                &input,
                accounts::owner_id.eq(owner),
                accounts::balance.eq(input.initial_deposit),
            ))
            .returning(Account::as_returning())
            .get_result(c)
            .await
    })?;
    Ok(account)
}

/// The signed-in user's accounts (none asked for: the session names the owner).
#[input]
#[derive(Debug, Clone, Copy, Default)]
pub struct MyAccounts {}

/// The signed-in user's accounts, oldest first.
#[output]
#[derive(Debug)]
pub struct AccountList {
    pub items: Vec<Account>,
}

/// Lists the signed-in user's own accounts with their balances (`account:read`; the query is
/// limited to the caller's, so no loaded resource is needed).
#[action(acl = "account:read")]
pub async fn mine(ctx: &mut ActionContext, _input: MyAccounts) -> Result<AccountList, ActionError> {
    let owner = ctx.user()?.id;
    let conn = ctx.db().await?;
    let items = db!(conn, |c| accounts::table
        .filter(accounts::owner_id.eq(owner))
        .order(accounts::id)
        .select(Account::as_select())
        .load(c)
        .await)?;
    Ok(AccountList { items })
}

/// Reads an account: `account:read` on it (its owner, or an admin; balances are private).
#[action(acl = "account:read", load = load_account)]
pub async fn get(ctx: &mut ActionContext, _input: AccountId) -> Result<Account, ActionError> {
    Ok(ctx.loaded::<Account>()?.clone())
}

/// Moves `amount` cents out of an account into any other, all or nothing: `account:transfer`
/// on the source account (its owner, or an admin). Each committed transfer leaves one ledger
/// row and one audit event; a client retrying with the same `Idempotency-Key` gets the first
/// answer again instead of moving the money twice. The key is optional: a browser's form post
/// sends none, and goes back to `/account`.
#[action(
    acl = "account:transfer",
    load = load_source,
    tx(serializable),
    idempotent,
    audit,
    redirect = "/account"
)]
pub async fn transfer(
    ctx: &mut ActionContext,
    input: Transfer,
) -> Result<Transferred, ActionError> {
    move_money(ctx, input).await
}

/// A transfer's work, in the caller's serializable transaction (`transfer`).
pub(crate) async fn move_money(
    ctx: &mut ActionContext,
    input: Transfer,
) -> Result<Transferred, ActionError> {
    let Transfer { from, to, amount } = input;
    let conn = ctx.db().await?;
    // Serializable: a transfer that overlaps another on either account fails with a
    // serialization failure and the runtime runs it again, so balances are never computed
    // from a stale read. Locking both rows up front, in id order, makes overlapping transfers
    // queue instead of failing late, and two opposite transfers cannot deadlock. SQLite needs
    // no row locks: `BEGIN IMMEDIATE` already made this transaction the only writer.
    if let DbConn::Postgres(c) = conn {
        accounts::table
            .filter(accounts::id.eq_any([from, to]))
            .order(accounts::id)
            .select(accounts::id)
            .for_update()
            .load::<i64>(&mut **c)
            .await?;
    }
    let found: Vec<Account> = db!(conn, |c| {
        accounts::table
            .filter(accounts::id.eq_any([from, to]))
            .select(Account::as_select())
            .load(c)
            .await
    })?;
    let account = |id: i64| {
        found
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| ActionError::not_found(format!("account {id} not found")))
    };
    let (source, target) = (account(from)?, account(to)?);
    if source.balance < amount {
        return Err(ActionError::new(
            ErrorCode::UNPROCESSABLE_CONTENT,
            format!(
                "insufficient funds: account {from} holds {} cents, {amount} requested",
                source.balance
            ),
        ));
    }
    let Some(target_balance) = target.balance.checked_add(amount) else {
        return Err(ActionError::new(
            ErrorCode::UNPROCESSABLE_CONTENT,
            format!("account {to} cannot hold that much"),
        ));
    };
    let balances = Transferred {
        from: Balance {
            id: from,
            balance: source.balance - amount,
        },
        to: Balance {
            id: to,
            balance: target_balance,
        },
    };
    book(conn, &balances, amount).await?;
    Ok(balances)
}

/// Writes the balances a transfer of `amount` computed, and its ledger row. Rows are updated in
/// id order, so two transfers in opposite directions never wait on each other in a cycle.
pub async fn book(
    conn: &mut DbConn,
    balances: &Transferred,
    amount: i64,
) -> Result<(), ActionError> {
    let mut rows = [balances.from, balances.to];
    rows.sort_by_key(|row| row.id);
    for Balance { id, balance } in rows {
        db!(conn, |c| diesel::update(accounts::table.find(id))
            .set(accounts::balance.eq(balance))
            .execute(c)
            .await)?;
    }
    let ledger = (
        transfers::from_account.eq(balances.from.id),
        transfers::to_account.eq(balances.to.id),
        transfers::amount.eq(amount),
        transfers::created_at.eq(Timestamp::now()),
    );
    db!(conn, |c| diesel::insert_into(transfers::table)
        .values(ledger)
        .execute(c)
        .await)?;
    Ok(())
}

/// The account `account.get` reads, for the policy.
pub async fn load_account(
    ctx: &mut ActionContext,
    input: &AccountId,
) -> Result<Option<Account>, ActionError> {
    find(ctx, input.id).await
}

/// The account a transfer takes money out of, for the policy.
pub async fn load_source(
    ctx: &mut ActionContext,
    input: &Transfer,
) -> Result<Option<Account>, ActionError> {
    find(ctx, input.from).await
}

async fn find(ctx: &mut ActionContext, id: i64) -> Result<Option<Account>, ActionError> {
    let conn = ctx.db().await?;
    Ok(db!(conn, |c| accounts::table
        .find(id)
        .select(Account::as_select())
        .first(c)
        .await
        .optional())?)
}
