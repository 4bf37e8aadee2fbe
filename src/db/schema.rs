//! The diesel schema, written to match `migrations/{sqlite,postgres}` (both trees declare the same
//! columns; `tests/api/migrations.rs` keeps them in step).

diesel::table! {
    organisations (id) {
        id -> Text,
        name_en -> Text,
        name_fr -> Nullable<Text>,
        name_es -> Nullable<Text>,
        acronym_en -> Nullable<Text>,
        acronym_fr -> Nullable<Text>,
        acronym_es -> Nullable<Text>,
        kind -> Text,
        country -> Nullable<Text>,
        description_en -> Nullable<Text>,
        description_fr -> Nullable<Text>,
        description_es -> Nullable<Text>,
        website -> Nullable<Text>,
        sources -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    programmes (id) {
        id -> Text,
        iati_identifier -> Nullable<Text>,
        title_en -> Text,
        title_fr -> Nullable<Text>,
        title_es -> Nullable<Text>,
        summary_en -> Nullable<Text>,
        summary_fr -> Nullable<Text>,
        summary_es -> Nullable<Text>,
        description_en -> Nullable<Text>,
        description_fr -> Nullable<Text>,
        description_es -> Nullable<Text>,
        status -> Nullable<Text>,
        planned_start -> Nullable<Date>,
        planned_end -> Nullable<Date>,
        actual_start -> Nullable<Date>,
        actual_end -> Nullable<Date>,
        budget_amount -> Nullable<Double>,
        budget_currency -> Nullable<Text>,
        locations -> Text,
        links -> Text,
        sources -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    programme_countries (programme_id, country) {
        programme_id -> Text,
        country -> Text,
        position -> Integer,
    }
}

diesel::table! {
    relations (collection, record_id, relation, position) {
        collection -> Text,
        record_id -> Text,
        relation -> Text,
        position -> Integer,
        target_collection -> Text,
        target_id -> Text,
        role -> Nullable<Text>,
    }
}

diesel::table! {
    documents (collection, id) {
        collection -> Text,
        id -> Text,
        position -> Nullable<Integer>,
        label_en -> Text,
        kind -> Nullable<Text>,
        year -> Nullable<Integer>,
        date_start -> Nullable<Date>,
        date_end -> Nullable<Date>,
        data -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    changes (seq) {
        seq -> BigInt,
        collection -> Text,
        record_id -> Text,
        action -> Text,
        version -> Integer,
        at -> Timestamp,
        key_name -> Nullable<Text>,
    }
}

diesel::table! {
    programme_tallies (scope_dim, scope_value, dim, value) {
        scope_dim -> Text,
        scope_value -> Text,
        dim -> Text,
        value -> Text,
        n -> BigInt,
    }
}

diesel::joinable!(programme_countries -> programmes (programme_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    programmes,
    programme_countries,
    programme_tallies,
    relations,
    documents,
    changes,
);

diesel::table! {
    api_keys (name) {
        name -> Text,
        key_id -> Text,
        secret_hash -> Text,
        scope -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (key_name, idempotency_key) {
        key_name -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        status -> Integer,
        location -> Text,
        etag -> Text,
        content_language -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    service_secrets (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        url -> Text,
        collections -> Nullable<Text>,
        description -> Nullable<Text>,
        secret_sealed -> Text,
        previous_secret_sealed -> Nullable<Text>,
        previous_secret_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
        state -> Text,
        state_reason -> Nullable<Text>,
        position -> BigInt,
        attempts -> Integer,
        failing_since -> Nullable<Timestamp>,
        next_attempt_at -> Nullable<Timestamp>,
        lease_owner -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> Text,
        seq -> BigInt,
        attempt -> Integer,
        manual -> Bool,
        at -> Timestamp,
        status -> Nullable<Integer>,
        duration_ms -> Integer,
        error -> Nullable<Text>,
        outcome -> Text,
    }
}

diesel::table! {
    webhook_redeliveries (webhook_id, seq) {
        webhook_id -> Text,
        seq -> BigInt,
        requested_at -> Timestamp,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::allow_tables_to_appear_in_same_query!(
    webhooks,
    webhook_deliveries,
    webhook_redeliveries,
    changes
);
