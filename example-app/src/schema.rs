//! The tables, in `diesel print-schema` form for PostgreSQL. The one difference: `Timestamptz`
//! is actions-runtime's, which is `timestamptz` on PostgreSQL and fixed-width RFC 3339 text
//! on SQLite, so this one schema serves both backends.

diesel::table! {
    use actions_runtime::diesel::sql_types::*;
    use actions_runtime::db::sql_types::Timestamptz;

    posts (id) {
        id -> Int8,
        author_id -> Int8,
        #[max_length = 200]
        title -> Varchar,
        body -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use actions_runtime::diesel::sql_types::*;

    accounts (id) {
        id -> Int8,
        owner_id -> Int8,
        #[max_length = 100]
        name -> Varchar,
        balance -> Int8,
    }
}

diesel::table! {
    use actions_runtime::diesel::sql_types::*;
    use actions_runtime::db::sql_types::Timestamptz;

    contact_messages (id) {
        id -> Int8,
        #[max_length = 100]
        name -> Varchar,
        #[max_length = 254]
        email -> Varchar,
        message -> Text,
        subscribe -> Bool,
        topics -> Text,
        attachment_name -> Nullable<Text>,
        attachment_type -> Nullable<Text>,
        attachment_size -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use actions_runtime::db::sql_types::Timestamptz;

    profiles (id) {
        id -> Int8,
        user_id -> Int8,
        #[max_length = 100]
        display_name -> Varchar,
        bio -> Nullable<Text>,
        #[max_length = 200]
        website -> Nullable<Varchar>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use actions_runtime::db::sql_types::Timestamptz;

    transfers (id) {
        id -> Int8,
        from_account -> Int8,
        to_account -> Int8,
        amount -> Int8,
        created_at -> Timestamptz,
    }
}
