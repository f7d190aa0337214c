//! The auth tables (migrations in `actions-runtime/migrations/`).

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::sql_types::Timestamptz;

    auth_users (id) {
        id -> Int8,
        #[max_length = 100]
        name -> Varchar,
        #[max_length = 254]
        email -> Varchar,
        email_verified -> Bool,
        image -> Nullable<Text>,
        password_hash -> Text,
        #[max_length = 16]
        role -> Varchar,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        banned -> Bool,
        ban_reason -> Nullable<Text>,
        ban_expires -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::sql_types::Timestamptz;

    auth_sessions (id) {
        id -> Int8,
        user_id -> Int8,
        token_hash -> Binary,
        remember_me -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        expires_at -> Timestamptz,
        absolute_expires_at -> Timestamptz,
        ip_address -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::joinable!(auth_sessions -> auth_users (user_id));
diesel::allow_tables_to_appear_in_same_query!(auth_users, auth_sessions);

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::sql_types::Timestamptz;

    auth_verifications (id) {
        id -> Int8,
        #[max_length = 32]
        purpose -> Varchar,
        token_hash -> Binary,
        user_id -> Int8,
        #[max_length = 254]
        email -> Varchar,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::joinable!(auth_verifications -> auth_users (user_id));
diesel::allow_tables_to_appear_in_same_query!(auth_users, auth_verifications);
